package dev.portcullis.oidc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The secrets of one sign-in in flight. The caller stores it server-side keyed by {@link #state()},
 * removes it when the callback arrives (single use), and hands it to {@link OidcRelyingParty#complete}.
 *
 * @param provider     the {@link OidcProviderSettings#name()} the sign-in started at
 * @param state        the random state sent to the provider
 * @param nonce        the random nonce the ID token must carry
 * @param codeVerifier the PKCE verifier (S256) for the code exchange
 * @param redirectUri  the redirect URI sent in the authorization request
 * @param createdAt    when the sign-in started, from the relying party's clock
 */
public record PendingAuthorization(
    String provider, String state, String nonce, String codeVerifier, URI redirectUri, Instant createdAt) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public PendingAuthorization {
    requireText(provider, "provider");
    requireText(state, "state");
    requireText(nonce, "nonce");
    requireText(codeVerifier, "codeVerifier");
    Objects.requireNonNull(redirectUri, "redirectUri");
    if (!redirectUri.isAbsolute()) {
      throw new IllegalArgumentException("redirectUri: " + redirectUri + " (expected: an absolute URI)");
    }
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A JSON object with every field, for a server-side store. It holds secrets: never send it to a browser. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("provider", provider);
    node.put("state", state);
    node.put("nonce", nonce);
    node.put("codeVerifier", codeVerifier);
    node.put("redirectUri", redirectUri.toString());
    node.put("createdAt", createdAt.toString());
    return node.toString();
  }

  /** Reads what {@link #toJson()} wrote; throws {@link IllegalArgumentException} for anything else. */
  public static PendingAuthorization fromJson(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("json: not valid JSON (expected: the output of toJson())");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("json: not an object (expected: the output of toJson())");
    }
    try {
      return new PendingAuthorization(
          text(node, "provider"), text(node, "state"), text(node, "nonce"), text(node, "codeVerifier"),
          URI.create(text(node, "redirectUri")), Instant.parse(text(node, "createdAt")));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("createdAt: not an ISO-8601 instant (expected: the output of toJson())");
    }
  }

  /** Prints only what is not secret. */
  @Override
  public String toString() {
    return "PendingAuthorization[provider=" + provider + ", redirectUri=" + redirectUri
        + ", createdAt=" + createdAt + ", state/nonce/codeVerifier=<redacted>]";
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(field + ": missing or not a string (expected: the output of toJson())");
    }
    return value.asText();
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + ": blank (expected: a non-blank value)");
    }
  }
}
