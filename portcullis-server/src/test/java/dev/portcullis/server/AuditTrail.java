package dev.portcullis.server;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.StoredAuditEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The audit events a server recorded after a mark, so tests that share one server see only their own
 * events and an assertion cannot pass on an event another test caused.
 */
final class AuditTrail {
  private final TestServer server;
  private final long mark;

  private AuditTrail(TestServer server, long mark) {
    this.server = server;
    this.mark = mark;
  }

  /** Marks the end of the log as it is now. */
  static AuditTrail mark(TestServer server) {
    List<StoredAuditEvent> newest = server.server().audit().store().search(AuditQuery.all(1));
    return new AuditTrail(server, newest.isEmpty() ? 0 : newest.getFirst().sequence());
  }

  /** The events of {@code type} recorded since the mark, oldest first. */
  List<AuditEvent> since(String type) {
    return server.server().audit().store().search(AuditQuery.all(10_000)).stream()
        .filter(stored -> stored.sequence() > mark)
        .map(StoredAuditEvent::event)
        .filter(event -> event.code().type().equals(type))
        .toList()
        .reversed();
  }

  /** Waits up to {@code timeout} for an event of {@code type} since the mark that {@code matches}. */
  AuditEvent await(String type, Predicate<AuditEvent> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (AuditEvent event : since(type)) {
        if (matches.test(event)) {
          return event;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching " + type + " event within " + timeout + "; since the mark: " + since(type));
      }
      Thread.sleep(50);
    }
  }
}
