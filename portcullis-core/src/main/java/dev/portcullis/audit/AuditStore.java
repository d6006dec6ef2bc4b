package dev.portcullis.audit;

import java.util.List;

/** Durable, append-only, hash-chained storage for audit events; one implementation per backend. */
public interface AuditStore {

  /** Appends the event and returns only once it is durable (committed and synced). */
  StoredAuditEvent append(AuditEvent event);

  /**
   * Appends the events in order and returns once all are durable. Backends commit them together, so
   * a burst of events costs one sync rather than one each.
   */
  default List<StoredAuditEvent> appendAll(List<AuditEvent> events) {
    return events.stream().map(this::append).toList();
  }

  /** The events that match, newest first. */
  List<StoredAuditEvent> search(AuditQuery query);

  /** Re-computes the hash chain from the first event and reports the first break, if any. */
  ChainVerification verify();

  /** The outcome of {@link #verify()}: intact with a count, or broken at a sequence number. */
  sealed interface ChainVerification {
    record Intact(long events) implements ChainVerification {}

    record Broken(long sequence, String reason) implements ChainVerification {}
  }
}
