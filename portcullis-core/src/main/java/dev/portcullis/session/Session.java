package dev.portcullis.session;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import java.time.Duration;
import java.time.Instant;

/**
 * A signed-in user's server-side session. The browser holds only a signed handle to its id.
 *
 * @param id random, URL-safe, 256-bit identifier
 * @param identity who signed in, as the identity provider said
 * @param createdAt when the user signed in
 * @param lastSeenAt the last request seen, updated at most once a minute
 * @param absoluteExpiry when the session ends regardless of activity
 * @param tokens the provider's tokens, never leaving the server
 */
public record Session(
    String id, Identity identity, Instant createdAt, Instant lastSeenAt, Instant absoluteExpiry, SessionTokens tokens) {

  public Session {
    requireNonNull(id, "id");
    requireNonNull(identity, "identity");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(lastSeenAt, "lastSeenAt");
    requireNonNull(absoluteExpiry, "absoluteExpiry");
    tokens = tokens == null ? SessionTokens.none() : tokens;
  }

  /** When the session ends if no further request arrives. */
  public Instant expiresAt(Duration idleTimeout) {
    Instant idleExpiry = lastSeenAt.plus(idleTimeout);
    return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
  }

  public boolean isExpired(Instant now, Duration idleTimeout) {
    return !now.isBefore(expiresAt(idleTimeout));
  }

  Session seenAt(Instant now) {
    return new Session(id, identity, createdAt, now, absoluteExpiry, tokens);
  }
}
