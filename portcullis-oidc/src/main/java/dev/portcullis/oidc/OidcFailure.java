package dev.portcullis.oidc;

/**
 * Why a discovery, sign-in or refresh failed: a closed set of stable reason codes for audit events and
 * metrics, each with a message that is safe to show the user.
 */
public enum OidcFailure {
  DISCOVERY_FAILED("discovery-failed", "The identity provider's configuration could not be loaded."),
  ISSUER_MISMATCH("issuer-mismatch", "The response came from an unexpected identity provider."),
  WRONG_PROVIDER("wrong-provider", "The sign-in response belongs to a different identity provider."),
  STALE_AUTHORIZATION("stale-authorization", "The sign-in took too long. Please start again."),
  STATE_MISMATCH("state-mismatch", "The sign-in response does not match this sign-in. Please start again."),
  PROVIDER_ERROR("provider-error", "The identity provider refused the sign-in."),
  INVALID_CALLBACK("invalid-callback", "The sign-in response is incomplete."),
  CODE_EXCHANGE_FAILED("code-exchange-failed", "The identity provider did not accept the sign-in code."),
  INVALID_ID_TOKEN("invalid-id-token", "The identity provider sent an invalid identity token."),
  UNSUPPORTED_ALGORITHM("unsupported-algorithm", "The identity token is not signed with an accepted algorithm."),
  UNKNOWN_KEY("unknown-key", "The identity token is signed with an unknown key."),
  JWKS_UNAVAILABLE("jwks-unavailable", "The identity provider's signing keys could not be loaded."),
  BAD_SIGNATURE("bad-signature", "The identity token's signature is not valid."),
  AUDIENCE_MISMATCH("audience-mismatch", "The identity token was issued to a different application."),
  TOKEN_EXPIRED("token-expired", "The identity token has expired."),
  NONCE_MISMATCH("nonce-mismatch", "The identity token does not belong to this sign-in."),
  USERINFO_FAILED("userinfo-failed", "The user's profile could not be loaded from the identity provider."),
  SUBJECT_MISMATCH("subject-mismatch", "The identity provider returned a different user."),
  INVALID_CLAIM("invalid-claim", "The identity provider sent a malformed claim."),
  REFRESH_FAILED("refresh-failed", "The session could not be renewed with the identity provider.");

  private final String code;
  private final String userMessage;

  OidcFailure(String code, String userMessage) {
    this.code = code;
    this.userMessage = userMessage;
  }

  /** The stable reason code, such as {@code state-mismatch}. */
  public String code() {
    return code;
  }

  /** A short sentence for the user; it never contains tokens or provider-supplied text. */
  public String userMessage() {
    return userMessage;
  }
}
