package dev.portcullis.bastion.sessions;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An administrator's request that the bastion running a session end it, kept in the store until the
 * session ends or the request expires.
 *
 * @param sessionId the session to end
 * @param requestedBy who asked (an OS or Portcullis user name); may be empty
 * @param reason why, for the audit log and the user's terminal; may be empty
 * @param requestedAt when it was asked
 * @param expires when the request lapses if no bastion acted on it
 */
public record KillRequest(String sessionId, String requestedBy, String reason, Instant requestedAt, Instant expires) {
  public KillRequest {
    requireNonNull(sessionId, "sessionId");
    requestedBy = requestedBy == null ? "" : requestedBy;
    reason = reason == null ? "" : reason;
    requireNonNull(requestedAt, "requestedAt");
    requireNonNull(expires, "expires");
  }
}
