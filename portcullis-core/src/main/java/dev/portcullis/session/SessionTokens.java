package dev.portcullis.session;

import java.time.Instant;
import java.util.Optional;

/**
 * The identity provider's tokens for a session, kept server-side only: the ID token as the logout hint
 * and the refresh token to renew the session's facts. Never sent to a browser or an upstream.
 */
public record SessionTokens(String idToken, Optional<String> refreshToken, Optional<Instant> accessTokenExpiresAt) {
  public SessionTokens {
    idToken = idToken == null ? "" : idToken;
    refreshToken = refreshToken == null ? Optional.empty() : refreshToken;
    accessTokenExpiresAt = accessTokenExpiresAt == null ? Optional.empty() : accessTokenExpiresAt;
  }

  public static SessionTokens none() {
    return new SessionTokens("", Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return "SessionTokens[idToken=" + (idToken.isEmpty() ? "none" : "redacted")
        + ", refreshToken=" + refreshToken.map(t -> "redacted").orElse("none")
        + ", accessTokenExpiresAt=" + accessTokenExpiresAt + "]";
  }
}
