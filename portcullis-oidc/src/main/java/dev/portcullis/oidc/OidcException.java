package dev.portcullis.oidc;

import java.util.Objects;

/**
 * A failed discovery, sign-in or refresh. {@link #failure()} is the stable reason; the message names it
 * and adds a diagnostic for logs that never contains a token or secret.
 */
public final class OidcException extends Exception {

  private final OidcFailure failure;

  public OidcException(OidcFailure failure, String detail) {
    this(failure, detail, null);
  }

  public OidcException(OidcFailure failure, String detail, Throwable cause) {
    super(Objects.requireNonNull(failure, "failure").code() + ": " + Objects.requireNonNull(detail, "detail"), cause);
    this.failure = failure;
  }

  /** The reason for the failure. */
  public OidcFailure failure() {
    return failure;
  }

  /** Shorthand for {@code failure().code()}. */
  public String code() {
    return failure.code();
  }
}
