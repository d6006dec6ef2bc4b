package dev.portcullis.audit;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place events are recorded: durably in the {@link AuditStore} first, then in the JSON-lines
 * file. {@link #record} returns only when both writes are on disk.
 *
 * <p>One writer thread commits whatever events are waiting together (group commit), so concurrent
 * callers share one sync instead of queueing for one each; every caller still waits for its own event
 * to be durable.
 */
public final class AuditLog implements AutoCloseable {
  private static final int MAX_BATCH = 256;
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final AuditStore store;
  private final Optional<JsonLinesAuditSink> file;
  private final InstantSource clock;
  private final SecureRandom random;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;

  private record Pending(AuditEvent event, CompletableFuture<StoredAuditEvent> stored) {}

  /** Queued by {@link #close()}: the writer finishes what is ahead of it and stops. */
  private static final Pending STOP = new Pending(null, new CompletableFuture<>());

  public AuditLog(AuditStore store, Optional<JsonLinesAuditSink> file, InstantSource clock, SecureRandom random) {
    this.store = requireNonNull(store, "store");
    this.file = requireNonNull(file, "file");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
    this.writer = Thread.ofPlatform().daemon().name("portcullis-audit-writer").start(this::writeLoop);
  }

  /** A builder-style start for an event of this kind, stamped with the clock and a fresh id. */
  public Draft event(AuditCode code) {
    return new Draft(code);
  }

  /** Writes the event durably to the store and then the file, and returns once both are on disk. */
  public StoredAuditEvent record(AuditEvent event) {
    Pending pending = new Pending(requireNonNull(event, "event"), new CompletableFuture<>());
    queue.add(pending);
    if (!writer.isAlive()) {
      failWaiting(); // the writer is gone: nothing queued now would ever be written
    }
    return acknowledged(pending);
  }

  /**
   * Writes the events durably, in this order, and returns once all are on disk. Queued together, they usually
   * share one commit, so a caller with several events waits once instead of once for each.
   */
  public List<StoredAuditEvent> recordAll(List<AuditEvent> events) {
    List<Pending> pending = events.stream()
        .map(event -> new Pending(requireNonNull(event, "event"), new CompletableFuture<>())).toList();
    queue.addAll(pending);
    if (!writer.isAlive()) {
      failWaiting();
    }
    return pending.stream().map(AuditLog::acknowledged).toList();
  }

  private static StoredAuditEvent acknowledged(Pending pending) {
    StoredAuditEvent stored;
    try {
      stored = pending.stored().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    AuditEvent event = pending.event();
    log.info("audit {} {} user={} resource={} reasons={}", event.code().code(), event.code().type(),
        event.user(), event.resource(), event.reasons());
    return stored;
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        write(batch);
      }
      batch.clear();
    }
    failWaiting();
  }

  private void write(List<Pending> batch) {
    try {
      List<StoredAuditEvent> stored = store.appendAll(batch.stream().map(Pending::event).toList());
      file.ifPresent(sink -> sink.writeAll(stored));
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).stored().complete(stored.get(i));
      }
    } catch (RuntimeException e) {
      // Nothing in a failed batch is acknowledged: each caller sees the failure.
      batch.forEach(pending -> pending.stored().completeExceptionally(e));
    }
  }

  private void failWaiting() {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      pending.stored().completeExceptionally(new IllegalStateException("the audit log is closed"));
    }
  }

  /** Stops the writer once the events already waiting are written. */
  @Override
  public void close() {
    queue.add(STOP);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public AuditStore store() {
    return store;
  }

  /** Collects an event's fields; {@link #record()} writes it. */
  public final class Draft {
    private final AuditCode code;
    private String user = "";
    private String provider = "";
    private String resource = "";
    private List<String> reasons = List.of();
    private String clientAddress = "";
    private Map<String, String> details = Map.of();

    private Draft(AuditCode code) {
      this.code = code;
    }

    public Draft user(String value) {
      this.user = value;
      return this;
    }

    public Draft provider(String value) {
      this.provider = value;
      return this;
    }

    public Draft resource(String value) {
      this.resource = value;
      return this;
    }

    public Draft reasons(List<String> value) {
      this.reasons = value;
      return this;
    }

    public Draft clientAddress(String value) {
      this.clientAddress = value;
      return this;
    }

    public Draft details(Map<String, String> value) {
      this.details = value;
      return this;
    }

    public StoredAuditEvent record() {
      return AuditLog.this.record(build());
    }

    /** The event, stamped now with a fresh id, for {@link AuditLog#recordAll}. */
    public AuditEvent build() {
      byte[] id = new byte[12];
      random.nextBytes(id);
      return new AuditEvent(Base64.getUrlEncoder().withoutPadding().encodeToString(id), code, clock.instant(), user,
          provider, resource, reasons, clientAddress, details);
    }
  }
}
