package dev.portcullis.oidc;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful sign-in (or refresh): who the user is at the provider, the claims to map into roles,
 * and the tokens. The claims merge the ID token over userinfo; nested values are immutable.
 *
 * @param provider      the {@link OidcProviderSettings#name()}
 * @param issuer        the validated issuer
 * @param subject       the {@code sub} claim: the stable user id at this issuer
 * @param username      from the configured claim, else the local part of a verified email, else {@code sub}
 * @param email         the {@code email} claim, if any
 * @param emailVerified whether the provider said {@code email_verified: true}
 * @param groups        from the configured groups claim (string array or one string); empty if absent
 * @param claims        all claims, ID token winning over userinfo
 * @param tokens        the tokens, whose {@code toString()} is redacted
 */
public record OidcLogin(
    String provider,
    String issuer,
    String subject,
    String username,
    Optional<String> email,
    boolean emailVerified,
    List<String> groups,
    Map<String, Object> claims,
    OidcTokens tokens) {

  public OidcLogin {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(email, "email");
    groups = List.copyOf(groups);
    claims = Map.copyOf(claims);
    Objects.requireNonNull(tokens, "tokens");
  }
}
