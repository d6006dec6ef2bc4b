package dev.portcullis.oidc;

import java.net.URI;
import java.util.Objects;

/**
 * The first half of a sign-in: where to send the browser, and what the caller must keep server-side
 * (keyed by {@link PendingAuthorization#state()}, single use) until the provider redirects back.
 */
public record AuthorizationStart(URI authorizationUrl, PendingAuthorization pending) {

  public AuthorizationStart {
    Objects.requireNonNull(authorizationUrl, "authorizationUrl");
    Objects.requireNonNull(pending, "pending");
  }
}
