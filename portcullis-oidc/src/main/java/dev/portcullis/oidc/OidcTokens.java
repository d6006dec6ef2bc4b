package dev.portcullis.oidc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens a provider issued for one sign-in. {@link #toString()} never prints their values.
 *
 * @param idToken              the validated ID token, compact serialization
 * @param accessToken          the access token
 * @param refreshToken         the refresh token, when the provider issued one
 * @param accessTokenExpiresAt when the access token expires, when the provider said
 */
public record OidcTokens(
    String idToken, String accessToken, Optional<String> refreshToken, Optional<Instant> accessTokenExpiresAt) {

  public OidcTokens {
    Objects.requireNonNull(idToken, "idToken");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(refreshToken, "refreshToken");
    Objects.requireNonNull(accessTokenExpiresAt, "accessTokenExpiresAt");
  }

  @Override
  public String toString() {
    return "OidcTokens[idToken=<redacted>, accessToken=<redacted>, refreshToken="
        + (refreshToken.isPresent() ? "<redacted>" : "<none>")
        + ", accessTokenExpiresAt=" + accessTokenExpiresAt.map(Instant::toString).orElse("<unknown>") + "]";
  }
}
