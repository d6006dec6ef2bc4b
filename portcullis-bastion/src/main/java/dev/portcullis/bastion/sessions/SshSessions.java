package dev.portcullis.bastion.sessions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.portcullis.bastion.sessions.internal.NewestFirst;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreKeys;
import dev.portcullis.store.StoreWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The records of bastion SSH sessions, kept in the store so that every replica and the admin CLI see them:
 * started and ended by the bastion, listed newest first, and killed on request. Ended records expire after
 * the retention period; recordings are files and are not touched here.
 *
 * <p>Keys: {@code ssh-sessions/ID} holds the record, {@code ssh-sessions-live/ID} indexes the live ones so
 * that listing them does not read every past session, and {@code ssh-session-kills/ID} holds a kill request.
 */
public final class SshSessions {
  /** How long ended records are kept by default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
  /** How long a kill request waits for a bastion to act on it. */
  public static final Duration KILL_REQUEST_TTL = Duration.ofHours(1);

  private static final String RECORDS = "ssh-sessions/";
  private static final String LIVE = "ssh-sessions-live/";
  private static final String KILLS = "ssh-session-kills/";
  /** A live index entry with no record is a start() cut short; older than this, it is not one in progress. */
  private static final Duration ORPHAN_AFTER = Duration.ofMinutes(1);
  /** The most sessions started here whose revision is kept, so that ending them needs no read. */
  private static final int MAX_REMEMBERED = 10_000;
  private static final String BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Store store;
  private final InstantSource clock;
  private final Duration retention;
  private final NewestFirst newestFirst;
  /** Sessions started here and not yet ended, with the revision of their record; see {@link #end}. */
  private final Map<String, Started> started = new ConcurrentHashMap<>();

  /** Keeps ended records for {@link #DEFAULT_RETENTION}. */
  public SshSessions(Store store, InstantSource clock) {
    this(store, clock, DEFAULT_RETENTION);
  }

  public SshSessions(Store store, InstantSource clock, Duration retention) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
    requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention: " + retention + " (expected: > 0)");
    }
    this.retention = retention;
    this.newestFirst = new NewestFirst(store, StoreKeys.MAX_RANGE_LIMIT);
  }

  /**
   * A new session id whose order is start order: 12 hex digits of the epoch millisecond, '-', and 10 random
   * base32 characters (50 bits), for example {@code 0198c2a4b1f0-k3m9x2qv7d}.
   */
  public static String newId(InstantSource clock, RandomGenerator random) {
    long millis = clock.millis();
    if (millis < 0 || millis >= 1L << 48) {
      throw new IllegalArgumentException("clock: " + clock.instant() + " (expected: between 1970 and 10889)");
    }
    StringBuilder id = new StringBuilder(23);
    String hex = Long.toHexString(millis);
    id.repeat('0', 12 - hex.length()).append(hex).append('-');
    for (int i = 0; i < 10; i++) {
      id.append(BASE32.charAt(random.nextInt(BASE32.length())));
    }
    return id.toString();
  }

  /**
   * Records a session that just started.
   *
   * @throws IllegalArgumentException when the record has already ended
   * @throws IllegalStateException when a session with its id exists
   */
  public SshSessionRecord start(SshSessionRecord session) {
    requireNonNull(session, "session");
    if (!session.live()) {
      throw new IllegalArgumentException("session " + session.id() + ": ended " + session.ended().get()
          + " (expected: a live session)");
    }
    // One transaction writes both, so a record never exists without its live entry, and the session costs
    // one commit to start.
    Optional<List<Item>> written = store.apply(List.of(
        new StoreWrite.Put(LIVE + session.id(), write(new LiveEntry(clock.instant())), Optional.empty()),
        new StoreWrite.Create(RECORDS + session.id(), write(session), Optional.empty())));
    if (written.isEmpty()) {
      throw new IllegalStateException("session " + session.id() + " already exists");
    }
    Item created = written.get().get(1);
    if (started.size() < MAX_REMEMBERED) {
      started.put(session.id(), new Started(session, created.revision()));
    }
    return session;
  }

  /**
   * Ends a live session at {@code at}: the record then expires after the retention period, and its live
   * entry and any kill request go. Returns the ended record, the record as it was when it had already
   * ended, or empty when there is no such session.
   */
  public Optional<SshSessionRecord> end(String id, Instant at, String reason) {
    requireNonNull(at, "at");
    requireNonNull(reason, "reason");
    // A session started here is ended without reading it back, unless someone changed it meanwhile.
    Started known = id == null ? null : started.remove(id);
    if (known != null) {
      SshSessionRecord ended = known.session().endedAt(at, reason);
      if (swapToEnded(ended, known.revision())) {
        return Optional.of(ended);
      }
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<Item> current = item(id);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      SshSessionRecord session = read(current.get());
      if (!session.live()) {
        store.delete(LIVE + id);
        return Optional.of(session);
      }
      SshSessionRecord ended = session.endedAt(at, reason);
      if (swapToEnded(ended, current.get().revision())) {
        return Optional.of(ended);
      }
    }
    throw new IllegalStateException("session " + id + ": ending it kept conflicting with other writes");
  }

  /**
   * Writes the ended record if the stored one still has {@code revision}, and drops its live entry and any
   * kill request, all in one transaction: the session costs one commit to end, and no crash can leave a
   * live record missing from the index. A kill request that is not there costs a delete that finds
   * nothing, cheaper than a separate read.
   */
  private boolean swapToEnded(SshSessionRecord ended, long revision) {
    String id = ended.id();
    Instant expires = ended.ended().orElseThrow().plus(retention);
    return store.apply(List.of(
        new StoreWrite.CompareAndSwap(RECORDS + id, revision, write(ended), Optional.of(expires)),
        new StoreWrite.Delete(LIVE + id),
        new StoreWrite.Delete(KILLS + id))).isPresent();
  }

  /** The session, live or ended within the retention period; empty for an unknown or malformed id. */
  public Optional<SshSessionRecord> find(String id) {
    return item(id).map(SshSessions::read);
  }

  /** Up to {@code limit} (1 to 10,000) sessions, newest first, live ones included. */
  public List<SshSessionRecord> list(int limit) {
    StoreKeys.requireValidLimit(limit);
    return newestFirst.last(RECORDS, limit).stream().map(SshSessions::read).toList();
  }

  /**
   * The sessions that have not ended, newest first. Tidies the live index on the way: an entry whose
   * session has ended, or that never got a record, is removed.
   */
  public List<SshSessionRecord> live() {
    List<SshSessionRecord> live = new ArrayList<>();
    Instant orphaned = clock.instant().minus(ORPHAN_AFTER);
    for (Item entry : store.range(LIVE, StoreKeys.MAX_RANGE_LIMIT).reversed()) {
      String id = entry.key().substring(LIVE.length());
      Optional<SshSessionRecord> session = find(id);
      if (session.isPresent() && session.get().live()) {
        live.add(session.get());
      } else if (session.isPresent() || readEntry(entry).since().isBefore(orphaned)) {
        store.delete(entry.key());
      }
    }
    return List.copyOf(live);
  }

  /**
   * Asks the bastion that runs a live session to end it (it polls {@link #killRequests()}). The request
   * lapses after {@link #KILL_REQUEST_TTL}. Empty when there is no such live session.
   */
  public Optional<KillRequest> requestKill(String id, String requestedBy, String reason) {
    Optional<SshSessionRecord> session = find(id);
    if (session.isEmpty() || !session.get().live()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    KillRequest request = new KillRequest(id, requestedBy, reason, now, now.plus(KILL_REQUEST_TTL));
    store.put(KILLS + id, write(request), Optional.of(request.expires()));
    return Optional.of(request);
  }

  /** The kill requests that have not lapsed, oldest session first. */
  public List<KillRequest> killRequests() {
    return store.range(KILLS, StoreKeys.MAX_RANGE_LIMIT).stream()
        .map(item -> read(item, KillRequest.class)).toList();
  }

  /** Removes a kill request once acted on; false when there was none. */
  public boolean clearKill(String id) {
    return valid(id) && store.delete(KILLS + id);
  }

  /** When a live index entry was written. */
  private record LiveEntry(Instant since) {}

  /** A session as this instance created it, and the revision its record got. */
  private record Started(SshSessionRecord session, long revision) {}

  private Optional<Item> item(String id) {
    return valid(id) ? store.get(RECORDS + id) : Optional.empty();
  }

  private static boolean valid(String id) {
    return id != null && SshSessionRecord.ID.matcher(id).matches();
  }

  private static LiveEntry readEntry(Item item) {
    return read(item, LiveEntry.class);
  }

  private static SshSessionRecord read(Item item) {
    return read(item, SshSessionRecord.class);
  }

  private static <T> T read(Item item, Class<T> type) {
    try {
      return JSON.readValue(item.value(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("stored " + item.key() + " is malformed", e);
    }
  }

  private static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
