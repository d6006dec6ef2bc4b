package dev.portcullis.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * A search over stored audit events; every present field narrows the result.
 *
 * @param user exact user name
 * @param since inclusive lower bound on the event time
 * @param until exclusive upper bound on the event time
 * @param type exact event type, for example {@code access.denied}
 * @param limit the most events to return, newest first
 */
public record AuditQuery(
    Optional<String> user,
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<String> type,
    int limit) {

  public AuditQuery {
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: 1..10000)");
    }
  }

  public static AuditQuery all(int limit) {
    return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
  }
}
