package dev.portcullis.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.portcullis.identity.Identity;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreEvent;
import dev.portcullis.store.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Creates, finds, refreshes and ends server-side sessions kept in the {@link Store}, enforcing the
 * idle and absolute timeouts.
 *
 * <p>Sessions are cached in memory for the request path. The cache drops an entry when the store
 * reports its deletion (on PostgreSQL, also a deletion by another replica), and re-reads any entry
 * older than {@link #CACHE_TRUST} so a change elsewhere is seen within that time.
 */
public final class SessionService implements AutoCloseable {
  private static final String PREFIX = "sessions/";
  /** The store keeps an expired session this long, so its expiry is noticed and audited once. */
  private static final Duration EXPIRED_GRACE = Duration.ofDays(1);
  /** Activity is written at most this often per session: reads stay reads on the hot path. */
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
  private static final Duration CACHE_TRUST = Duration.ofSeconds(5);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Store store;
  private final Duration idleTimeout;
  private final Duration absoluteTimeout;
  private final InstantSource clock;
  private final SecureRandom random;
  private final Consumer<Session> onExpired;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Subscription subscription;

  /**
   * @param onExpired told once about each session that ended by timeout, for the audit log
   */
  public SessionService(
      Store store, Duration idleTimeout, Duration absoluteTimeout, InstantSource clock, SecureRandom random,
      Consumer<Session> onExpired) {
    this.store = requireNonNull(store, "store");
    this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
    this.absoluteTimeout = requireNonNull(absoluteTimeout, "absoluteTimeout");
    if (absoluteTimeout.compareTo(idleTimeout) < 0) {
      throw new IllegalArgumentException("absoluteTimeout: " + absoluteTimeout + " (expected: >= idleTimeout " + idleTimeout + ")");
    }
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
    this.onExpired = requireNonNull(onExpired, "onExpired");
    this.subscription =
        store.watch(PREFIX, event -> {
          switch (event) {
            case StoreEvent.Delete delete -> cache.remove(delete.key().substring(PREFIX.length()));
            case StoreEvent.Put put -> cache.remove(put.item().key().substring(PREFIX.length()));
          }
        });
  }

  /** Starts a session for a user who just signed in. */
  public Session create(Identity identity, SessionTokens tokens) {
    return create(identity, tokens, absoluteTimeout);
  }

  /** Starts a session that ends no later than {@code lifetime} from now (and the absolute timeout). */
  public Session create(Identity identity, SessionTokens tokens, Duration lifetime) {
    Duration capped = lifetime.compareTo(absoluteTimeout) < 0 ? lifetime : absoluteTimeout;
    Instant now = clock.instant();
    byte[] idBytes = new byte[32];
    random.nextBytes(idBytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
    Session session = new Session(id, identity, now, now, now.plus(capped), tokens);
    Item item = store.put(PREFIX + id, write(session), Optional.of(storeExpiry(session)));
    cache.put(id, new Cached(session, item.revision(), now));
    return session;
  }

  /** The live session with this id; an expired one is removed and reported, and reads as absent. */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Cached cached = cache.get(id);
    if (cached == null || !now.isBefore(cached.readAt().plus(CACHE_TRUST))) {
      Optional<Item> item = store.get(PREFIX + id);
      if (item.isEmpty()) {
        cache.remove(id);
        return Optional.empty();
      }
      cached = new Cached(read(item.get().value()), item.get().revision(), now);
      cache.put(id, cached);
    }
    Session session = cached.session();
    if (session.isExpired(now, idleTimeout)) {
      expire(session);
      return Optional.empty();
    }
    if (!now.isBefore(session.lastSeenAt().plus(TOUCH_INTERVAL))) {
      session = touch(cached, now);
    }
    return Optional.of(session);
  }

  /**
   * The session when it can be answered from memory without any write: cached recently, live, and not
   * yet due for an activity update. Empty means "ask {@link #find}", not "no session".
   */
  public Optional<Session> cached(String id) {
    Cached cached = id == null ? null : cache.get(id);
    if (cached == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Session session = cached.session();
    boolean fresh = now.isBefore(cached.readAt().plus(CACHE_TRUST));
    boolean quiet = now.isBefore(session.lastSeenAt().plus(TOUCH_INTERVAL));
    return fresh && quiet && !session.isExpired(now, idleTimeout) ? Optional.of(session) : Optional.empty();
  }

  /** Replaces the identity and tokens of a live session, for example after a token refresh. */
  public Optional<Session> update(Session session, Identity identity, SessionTokens tokens) {
    Session updated =
        new Session(session.id(), identity, session.createdAt(), clock.instant(), session.absoluteExpiry(), tokens);
    Item item = store.put(PREFIX + session.id(), write(updated), Optional.of(storeExpiry(updated)));
    cache.put(session.id(), new Cached(updated, item.revision(), clock.instant()));
    return Optional.of(updated);
  }

  /** Ends the session now (logout, lock). Returns it when it existed. */
  public Optional<Session> revoke(String id) {
    cache.remove(id);
    return store.take(PREFIX + id).map(item -> read(item.value()));
  }

  /** Removes and reports every session that has timed out; run periodically. */
  public int sweepExpired() {
    Instant now = clock.instant();
    int expired = 0;
    for (Item item : store.range(PREFIX, 10_000)) {
      Session session = read(item.value());
      if (session.isExpired(now, idleTimeout) && expire(session)) {
        expired++;
      }
    }
    return expired;
  }

  /** The sessions currently live, for listing and for ending a user's sessions. */
  public List<Session> live() {
    Instant now = clock.instant();
    return store.range(PREFIX, 10_000).stream()
        .map(item -> read(item.value()))
        .filter(session -> !session.isExpired(now, idleTimeout))
        .toList();
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  @Override
  public void close() {
    subscription.close();
  }

  private boolean expire(Session session) {
    cache.remove(session.id());
    // Only the caller whose take succeeds reports it, so an expiry is audited once across replicas.
    boolean removed = store.take(PREFIX + session.id()).isPresent();
    if (removed) {
      onExpired.accept(session);
    }
    return removed;
  }

  private Session touch(Cached cached, Instant now) {
    Session touched = cached.session().seenAt(now);
    Optional<Item> swapped =
        store.compareAndSwap(PREFIX + touched.id(), cached.revision(), write(touched), Optional.of(storeExpiry(touched)));
    if (swapped.isPresent()) {
      cache.put(touched.id(), new Cached(touched, swapped.get().revision(), now));
    } else {
      // Another request or replica wrote first; re-read next time rather than overwrite its change.
      cache.remove(touched.id());
    }
    return touched;
  }

  private Instant storeExpiry(Session session) {
    return session.expiresAt(idleTimeout).plus(EXPIRED_GRACE);
  }

  private static byte[] write(Session session) {
    try {
      return JSON.writeValueAsBytes(session);
    } catch (IOException e) {
      throw new UncheckedIOException("session cannot be serialized", e);
    }
  }

  private static Session read(byte[] json) {
    try {
      return JSON.readValue(json, Session.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored session is malformed", e);
    }
  }

  private record Cached(Session session, long revision, Instant readAt) {}
}
