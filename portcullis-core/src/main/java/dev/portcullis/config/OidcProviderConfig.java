package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.Urls;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OpenID Connect provider ({@code type: oidc}).
 *
 * @param name the unique provider name
 * @param displayName the sign-in page label; default {@code name}
 * @param issuer the issuer URL, exactly as the provider publishes it; https, or http for loopback hosts
 * @param clientId the client id registered at the provider
 * @param clientSecret the client secret; empty for a public client (PKCE only)
 * @param scopes the requested scopes; default {@code [openid, email, profile]}; must contain {@code openid}
 * @param groupsClaim the claim that lists the user's groups; default {@code groups}
 * @param usernameClaim the claim that names the user; default {@code preferred_username}. When it is
 *     missing the consumer falls back to the email's local part, then to {@code sub}.
 * @param fetchUserinfo whether to call the userinfo endpoint after sign-in; the loader defaults it to true
 * @param trustUnverifiedEmail whether to use an email the provider does not mark {@code email_verified};
 *     default false, because role mappings by email domain would otherwise trust any address a user typed.
 *     Set it for providers that only hand out addresses they own but never send the claim
 */
public record OidcProviderConfig(
    String name,
    String displayName,
    URI issuer,
    String clientId,
    Optional<Secret> clientSecret,
    List<String> scopes,
    String groupsClaim,
    String usernameClaim,
    boolean fetchUserinfo,
    boolean trustUnverifiedEmail)
    implements IdentityProviderConfig {
  private static final Pattern SCOPE = Pattern.compile("[!#-\\[\\]-~]+");
  private static final String ISSUER = "https://host[/path], or http:// for a loopback host";

  public OidcProviderConfig {
    Check.matches(name, NAME, "name", NAME_EXPECTED);
    displayName = displayName == null || displayName.isBlank() ? name : displayName;
    Check.required(issuer, "issuer", ISSUER);
    Urls.requireHttpUrl(issuer, "issuer", false, ISSUER);
    Check.text(clientId, "client_id", "the client id registered at the provider");
    clientSecret = clientSecret == null ? Optional.empty() : clientSecret;
    scopes = Check.texts(scopes, "scopes", "a scope name");
    scopes = scopes.isEmpty() ? List.of("openid", "email", "profile") : scopes;
    for (int i = 0; i < scopes.size(); i++) {
      if (!SCOPE.matcher(scopes.get(i)).matches()) {
        throw Check.invalid(List.of("scopes", i), Check.quote(scopes.get(i))
            + " is not a scope name (expected: printable characters without spaces, quotes or backslashes)");
      }
    }
    Check.that(scopes.contains("openid"), "scopes", () -> "does not contain openid (expected: openid among the scopes)");
    groupsClaim = groupsClaim == null ? "groups" : Check.text(groupsClaim, "groups_claim", "a claim name");
    usernameClaim = usernameClaim == null
        ? "preferred_username"
        : Check.text(usernameClaim, "username_claim", "a claim name");
  }
}
