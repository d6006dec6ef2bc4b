package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Records built in code check themselves with the same messages the loader shows. */
class ConfigRecordsTest {

  static AppConfig app(String name, String host, String upstream) {
    return new AppConfig(name, host, null, URI.create(upstream), Map.of(), false, null, false, null, null, null);
  }

  @Test
  void appConfigRefusesABadUpstreamNamingTheKey() {
    assertThatThrownBy(() -> app("whoami", "whoami.localhost", "localhost:9000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upstream: \"localhost:9000\" is not an absolute http(s) URL"
            + " (expected: http://host[:port] or https://host[:port])");
  }

  @Test
  void pathPrefixesAreNormalizedAndMustBePlain() {
    AppConfig app = new AppConfig("a", "a.localhost", "/api/", URI.create("http://127.0.0.1:1"), Map.of(), false,
        List.of("/static/"), false, Optional.empty(), null, null);

    assertThat(app.pathPrefix()).isEqualTo("/api");
    assertThat(app.publicPaths()).containsExactly("/static");
    assertThatThrownBy(() -> new AppConfig("a", "a.localhost", "/api/../x", URI.create("http://127.0.0.1:1"),
        Map.of(), false, null, false, null, null, null)).hasMessageStartingWith("path_prefix: \"/api/../x\" is not a plain path");
  }

  @Test
  void portcullisConfigCrossChecksInCode() {
    ServerConfig server = new ServerConfig(null, URI.create("https://auth.localhost"), null, null, null);
    OidcProviderConfig corp = new OidcProviderConfig("corp", null, URI.create("https://idp.example.com"), "c", null,
        null, null, null, true, false);

    assertThatThrownBy(() -> new PortcullisConfig(server, null, null, null, List.of(corp), List.of(), List.of(),
        List.of(app("a", "a.localhost", "http://127.0.0.1:1"), app("a", "b.localhost", "http://127.0.0.1:2")), null))
        .hasMessage("apps[1].name: duplicate app name \"a\" (expected: unique names; first defined at apps[0])");
  }

  @Test
  void publicUrlIsNormalizedToItsOrigin() {
    ServerConfig server = new ServerConfig(null, URI.create("https://Auth.Example.com:8443/"), null, null, null);

    assertThat(server.publicUrl()).isEqualTo(URI.create("https://auth.example.com:8443"));
    assertThatThrownBy(() -> new ServerConfig(null, URI.create("https://auth.example.com/login"), null, null, null))
        .hasMessageStartingWith("public_url: \"https://auth.example.com/login\" has a path");
  }

  @Test
  void roleLabelWildcardKeyNeedsAWildcardValue() {
    assertThatThrownBy(() -> new RoleConditions(Map.of("*", List.of("dev")), null, null, false))
        .hasMessageStartingWith("app_labels[\"*\"]: '*' has values [dev]");
  }

  @Test
  void roleMappingNeedsACondition() {
    assertThatThrownBy(() -> new RoleMappingConfig(null, null, null, null, false, List.of("dev")))
        .hasMessageStartingWith("has no condition");
  }

  @Test
  void totpSecretIsNormalizedAndChecked() {
    LocalUserConfig user = new LocalUserConfig("alice", null, null, new Secret("$argon2id$v=19$x"),
        Optional.of(new Secret("jbsw y3dp ehpk 3pxp==")));

    assertThat(user.totpSecret()).contains(new Secret("JBSWY3DPEHPK3PXP"));
    assertThatThrownBy(() -> new LocalUserConfig("alice", null, null, new Secret("$argon2id$v=19$x"),
        Optional.of(new Secret("not-base32!")))).hasMessageStartingWith("totp_secret: is not a base32 TOTP seed");
  }

  @Test
  void sessionTimeoutsMustBePositive() {
    assertThatThrownBy(() -> new SessionConfig(null, Duration.ZERO, null))
        .hasMessageStartingWith("idle_timeout: PT0S is not positive");
  }
}
