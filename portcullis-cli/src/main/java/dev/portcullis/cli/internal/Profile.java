package dev.portcullis.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who the CLI is signed in as, kept in {@code profile.json} (0600): the server, the identity, the session
 * token and whether TLS verification was turned off.
 *
 * @param proxy     the server's URL, {@code https://host:port}
 * @param token     the user token (a session handle); secret, never printed
 * @param expiresAt when the session ends
 * @param insecure  whether TLS certificates of the server are accepted unverified ({@code --insecure})
 */
public record Profile(URI proxy, String user, String provider, List<String> roles, List<String> logins,
    String token, Instant expiresAt, boolean insecure) {

  public Profile {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(provider, "provider");
    roles = List.copyOf(roles);
    logins = List.copyOf(logins);
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  String toJson() {
    ObjectNode node = Json.object();
    node.put("proxy", proxy.toString());
    node.put("user", user);
    node.put("provider", provider);
    roles.forEach(node.putArray("roles")::add);
    logins.forEach(node.putArray("logins")::add);
    node.put("token", token);
    node.put("expires_at", expiresAt.toString());
    node.put("insecure", insecure);
    return Json.write(node) + "\n";
  }

  /** @throws IllegalArgumentException naming the broken field */
  static Profile fromJson(String json, String source) {
    JsonNode node = Json.parseObject(json, source);
    JsonNode insecure = node.get("insecure");
    if (insecure == null || !insecure.isBoolean()) {
      throw new IllegalArgumentException(source + ": field \"insecure\" is missing or not true/false");
    }
    return new Profile(ProxyUrl.parse(Json.text(node, "proxy", source)), Json.text(node, "user", source),
        Json.text(node, "provider", source), Json.strings(node, "roles", source), Json.strings(node, "logins", source),
        Json.text(node, "token", source), Json.instant(node, "expires_at", source), insecure.booleanValue());
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "Profile[proxy=" + proxy + ", user=" + user + ", provider=" + provider + ", roles=" + roles
        + ", logins=" + logins + ", expiresAt=" + expiresAt + ", insecure=" + insecure + "]";
  }
}
