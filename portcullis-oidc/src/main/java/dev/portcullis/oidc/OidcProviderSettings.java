package dev.portcullis.oidc;

import dev.portcullis.oidc.internal.Transport;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Portcullis talks to one OpenID Provider: where it is, who we are to it, and which claims carry
 * the username and groups.
 *
 * @param name           a short stable key for the provider, such as {@code corp-sso}
 * @param issuer         the issuer identifier; https, or http only on a loopback host
 * @param clientId       the client id registered at the provider
 * @param clientSecret   the client secret; empty for a public client (PKCE only)
 * @param scopes         the scopes to request; must contain {@code openid}
 * @param groupsClaim    the claim holding the user's groups (a string array or one string)
 * @param usernameClaim  the claim holding the username, such as {@code preferred_username}
 * @param fetchUserInfo  whether to call the userinfo endpoint and merge its claims
 */
public record OidcProviderSettings(
    String name,
    URI issuer,
    String clientId,
    Optional<String> clientSecret,
    List<String> scopes,
    String groupsClaim,
    String usernameClaim,
    boolean fetchUserInfo) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

  public OidcProviderSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(groupsClaim, "groupsClaim");
    Objects.requireNonNull(usernameClaim, "usernameClaim");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: " + name + " (expected: 1-64 of letters, digits, '.', '_', '-', starting with a letter or digit)");
    }
    String transportProblem = Transport.problem(issuer);
    if (transportProblem != null) {
      throw new IllegalArgumentException("issuer: " + issuer + " (expected: " + transportProblem + ")");
    }
    if (issuer.getRawQuery() != null || issuer.getRawFragment() != null || issuer.getRawUserInfo() != null) {
      throw new IllegalArgumentException("issuer: " + issuer + " (expected: no user info, query or fragment)");
    }
    if (clientId.isBlank()) {
      throw new IllegalArgumentException("clientId: blank (expected: the client id registered at the provider)");
    }
    if (clientSecret.isPresent() && clientSecret.get().isEmpty()) {
      throw new IllegalArgumentException("clientSecret: empty (expected: a secret, or Optional.empty() for a public client)");
    }
    scopes = List.copyOf(scopes);
    for (String scope : scopes) {
      if (!SCOPE.matcher(scope).matches()) {
        throw new IllegalArgumentException("scopes: " + scopes + " (expected: scope tokens without spaces or quotes)");
      }
    }
    if (!scopes.contains("openid")) {
      throw new IllegalArgumentException("scopes: " + scopes + " (expected: to contain openid)");
    }
    if (groupsClaim.isBlank()) {
      throw new IllegalArgumentException("groupsClaim: blank (expected: a claim name such as groups)");
    }
    if (usernameClaim.isBlank()) {
      throw new IllegalArgumentException("usernameClaim: blank (expected: a claim name such as preferred_username)");
    }
  }

  /** Settings with the common defaults: scopes {@code openid email profile}, claims {@code groups} and {@code preferred_username}, userinfo on. */
  public static OidcProviderSettings of(String name, URI issuer, String clientId, Optional<String> clientSecret) {
    return new OidcProviderSettings(
        name, issuer, clientId, clientSecret, List.of("openid", "email", "profile"),
        "groups", "preferred_username", true);
  }

  /** Never prints the client secret. */
  @Override
  public String toString() {
    return "OidcProviderSettings[name=" + name + ", issuer=" + issuer + ", clientId=" + clientId
        + ", clientSecret=" + (clientSecret.isPresent() ? "<redacted>" : "<none>") + ", scopes=" + scopes
        + ", groupsClaim=" + groupsClaim + ", usernameClaim=" + usernameClaim
        + ", fetchUserInfo=" + fetchUserInfo + "]";
  }
}
