package dev.portcullis.audit;

import java.util.List;

/** Durable, append-only, hash-chained storage for audit events; one implementation per backend. */
public interface AuditStore {

  /** Appends the event and returns only once it is durable (committed and synced). */
  StoredAuditEvent append(AuditEvent event);

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
