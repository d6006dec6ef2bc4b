package dev.portcullis.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audit record: what happened, to whom, on which resource, with the decision's reasons.
 *
 * <p>Optional fields are empty strings rather than null so that every sink writes the same shape.
 *
 * @param id unique event id (random, URL-safe)
 * @param code what kind of event this is
 * @param time when it happened, from the injected clock
 * @param user the user name, or empty when unknown (for example a failed login with no user name)
 * @param provider the identity provider involved, or empty
 * @param resource what was accessed, for example {@code app:whoami}, or empty
 * @param reasons the decision's reason codes and details, in order
 * @param clientAddress the client's IP address, or empty
 * @param details further key/value facts (session id, method, path, error); never a secret or token
 */
public record AuditEvent(
    String id,
    AuditCode code,
    Instant time,
    String user,
    String provider,
    String resource,
    List<String> reasons,
    String clientAddress,
    Map<String, String> details) {

  public AuditEvent {
    requireNonNull(id, "id");
    requireNonNull(code, "code");
    requireNonNull(time, "time");
    user = user == null ? "" : user;
    provider = provider == null ? "" : provider;
    resource = resource == null ? "" : resource;
    reasons = List.copyOf(reasons == null ? List.of() : reasons);
    clientAddress = clientAddress == null ? "" : clientAddress;
    details = Map.copyOf(details == null ? Map.of() : details);
  }
}
