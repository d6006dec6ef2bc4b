package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final Map<String, String> ENV = Map.of("PORTCULLIS_DB_PASSWORD", "db-secret", "CORP_SECRET", "corp-secret");

  static String resource(String name) throws IOException {
    try (var in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void loadsTheFullExampleWithEveryKey() throws IOException {
    PortcullisConfig config = ConfigLoader.parse(resource("full.yaml"), "full.yaml", ENV);

    ServerConfig server = config.server();
    assertThat(server.listen()).isEqualTo(new ListenAddress("127.0.0.1", 8443));
    assertThat(server.publicUrl()).isEqualTo(URI.create("https://portcullis.localhost:8443"));
    assertThat(server.tls()).contains(new TlsConfig(Path.of("/path/cert.pem"), Path.of("/path/key.pem")));
    assertThat(server.trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"));

    assertThat(config.storage().type()).isEqualTo(StorageConfig.Type.POSTGRES);
    assertThat(config.storage().url()).contains("jdbc:postgresql://127.0.0.1:5432/portcullis");
    assertThat(config.storage().password()).contains(new Secret("db-secret"));
    assertThat(config.session()).isEqualTo(new SessionConfig("_portcullis", Duration.ofHours(1), Duration.ofHours(12)));
    assertThat(config.audit().file()).isEqualTo(Path.of("./data/audit.jsonl"));

    assertThat(config.identityProviders()).hasSize(2);
    OidcProviderConfig corp = (OidcProviderConfig) config.identityProviders().get(0);
    assertThat(corp.displayName()).isEqualTo("Corporate SSO");
    assertThat(corp.clientSecret()).contains(new Secret("corp-secret"));
    assertThat(corp.scopes()).containsExactly("openid", "email", "profile");
    assertThat(corp.fetchUserinfo()).isTrue();
    LocalProviderConfig local = (LocalProviderConfig) config.identityProviders().get(1);
    LocalUserConfig alice = local.user("alice").orElseThrow();
    assertThat(alice.email()).contains("alice@example.com");
    assertThat(alice.groups()).containsExactly("dev");
    assertThat(alice.passwordHash().value()).startsWith("$argon2id$v=19$");
    assertThat(alice.totpSecret()).contains(new Secret("JBSWY3DPEHPK3PXP"));

    RoleConfig dev = config.role("dev").orElseThrow();
    assertThat(dev.allow().appLabels()).isEqualTo(Map.of("env", List.of("dev", "staging")));
    assertThat(dev.allow().nodeLabels()).isEqualTo(Map.of("env", List.of("dev", "staging")));
    assertThat(dev.allow().logins())
        .containsExactly("ubuntu", "{{email.local}}", "{{internal.username}}", "{{external.unix_login}}");
    assertThat(dev.allow().sudo()).isTrue();
    assertThat(dev.deny().appLabels()).isEqualTo(Map.of("env", List.of("prod")));
    assertThat(dev.deny().nodeLabels()).isEqualTo(Map.of("env", List.of("prod")));
    assertThat(dev.deny().logins()).containsExactly("root");
    assertThat(dev.options()).isEqualTo(new RoleOptions(Duration.ofHours(8), true, false, true));
    assertThat(config.roleMappings()).hasSize(4);
    assertThat(config.roleMappings().get(2).claim()).contains("department");
    assertThat(config.roleMappings().get(3).everyone()).isTrue();

    AppConfig whoami = config.app("whoami").orElseThrow();
    assertThat(whoami.upstream()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(whoami.labels()).isEqualTo(Map.of("env", "dev"));
    assertThat(whoami.publicApp()).isFalse();
    assertThat(whoami.publicPaths()).containsExactly("/healthz");
    assertThat(whoami.upstreamTls()).contains(
        new UpstreamTlsConfig(Optional.of(Path.of("/path/ca.pem")), Optional.of("internal.example")));
    assertThat(whoami.timeouts()).isEqualTo(new AppTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30),
        Duration.ofSeconds(60)));
    assertThat(whoami.rules().allow()).hasSize(1);
    assertThat(whoami.rules().deny().get(0).pathPrefixes()).containsExactly("/admin");
    assertThat(whoami.rules().deny().get(0).methods()).containsExactly("POST", "DELETE");
  }

  @Test
  void fillsEveryDefaultOfAMinimalFile() throws IOException {
    PortcullisConfig config = ConfigLoader.parse(resource("minimal.yaml") + """
        apps:
          - name: whoami
            host: WhoAmI.localhost
            upstream: http://127.0.0.1:9000/
        """, "minimal.yaml", Map.of());

    assertThat(config.server().listen()).hasToString("127.0.0.1:8443");
    assertThat(config.server().tls()).isEmpty();
    assertThat(config.server().dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.server().trustedProxies()).isEmpty();
    assertThat(config.storage()).isEqualTo(StorageConfig.DEFAULT);
    assertThat(config.session().cookieName()).isEqualTo("_portcullis");
    assertThat(config.session().idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.session().absoluteTimeout()).isEqualTo(Duration.ofHours(12));
    assertThat(config.audit().file()).isEqualTo(Path.of("./data").resolve("audit.jsonl"));
    OidcProviderConfig corp = (OidcProviderConfig) config.identityProviders().get(0);
    assertThat(corp.displayName()).isEqualTo("corp");
    assertThat(corp.clientSecret()).isEmpty();
    assertThat(corp.scopes()).containsExactly("openid", "email", "profile");
    assertThat(corp.groupsClaim()).isEqualTo("groups");
    assertThat(corp.usernameClaim()).isEqualTo("preferred_username");
    assertThat(corp.fetchUserinfo()).isTrue();
    AppConfig app = config.apps().get(0);
    assertThat(app.host()).isEqualTo("whoami.localhost");
    assertThat(app.pathPrefix()).isEqualTo("/");
    assertThat(app.upstream()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(app.publicApp()).isFalse();
    assertThat(app.preserveHost()).isFalse();
    assertThat(app.publicPaths()).isEmpty();
    assertThat(app.timeouts()).isEqualTo(AppTimeouts.DEFAULT);
    assertThat(app.timeouts().connect()).isEqualTo(Duration.ofSeconds(5));
    assertThat(app.rules().hasRules()).isFalse();
  }

  @Test
  void auditFileDefaultsIntoTheConfiguredDataDir() throws IOException {
    PortcullisConfig config = ConfigLoader.parse(resource("minimal.yaml").replace(
        "  public_url:", "  data_dir: /var/lib/portcullis\n  public_url:"), "minimal.yaml", Map.of());

    assertThat(config.audit().file()).isEqualTo(Path.of("/var/lib/portcullis/audit.jsonl"));
  }

  @Test
  void substitutesEnvironmentVariablesAndKeepsEscapedReferences() throws IOException {
    PortcullisConfig config = ConfigLoader.parse(resource("minimal.yaml").replace(
        "client_id: portcullis", "client_id: ${CLIENT}-$${literal}"), "minimal.yaml", Map.of("CLIENT", "app"));

    assertThat(((OidcProviderConfig) config.identityProviders().get(0)).clientId()).isEqualTo("app-${literal}");
  }

  @Test
  void loadsFromAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, resource("minimal.yaml"));
    assertThat(ConfigLoader.load(file, Map.of()).identityProviders()).hasSize(1);

    Files.writeString(file, resource("minimal.yaml").replace("client_id", "client"));
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":8:5: identity_providers[0].client: unknown key");
  }

  @Test
  void reportsAMissingFileWithoutALine(@TempDir Path dir) {
    Path missing = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.line()).isZero());
          assertThat(e.getMessage()).startsWith(missing + ": cannot read: ");
        });
  }

  @Test
  void secretsNeverAppearInToString() throws IOException {
    PortcullisConfig config = ConfigLoader.parse(resource("full.yaml"), "full.yaml", ENV);

    assertThat(config.toString()).doesNotContain("db-secret", "corp-secret", "JBSWY3DPEHPK3PXP", "aGFzaGhhc2hoYXNo",
        "jdbc:postgresql");
  }
}
