package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.PortcullisConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's promises that code can check: its example configuration is valid as printed. */
class ReadmeTest {

  @Test
  void theReadmesExampleConfigurationLoads() throws Exception {
    String full = yamlBlocks().stream().filter(block -> block.contains("server:")).findFirst().orElseThrow();

    PortcullisConfig config = ConfigLoader.parse(full, "README.md",
        Map.of("PORTCULLIS_DB_PASSWORD", "db-secret", "CORP_CLIENT_SECRET", "client-secret"));

    assertThat(config.apps()).extracting(app -> app.name()).containsExactly("grafana", "prometheus");
    assertThat(config.identityProviders()).extracting(p -> p.name()).containsExactly("corp", "local");
  }

  @Test
  void theReadmesSshRolesLoadInAConfiguration() throws Exception {
    String roles = yamlBlocks().stream().filter(block -> block.startsWith("roles:")).findFirst().orElseThrow();
    String config = """
        server:
          public_url: https://portcullis.example.com
        identity_providers:
          - {name: local, type: local, users: []}
        apps: []
        """ + roles;

    PortcullisConfig loaded = ConfigLoader.parse(config, "README.md", Map.of());

    assertThat(loaded.roles()).singleElement().satisfies(role -> {
      assertThat(role.allow().logins()).contains("{{internal.username}}", "ubuntu");
      assertThat(role.deny().logins()).containsExactly("root");
    });
  }

  @Test
  void theReadmesBastionSectionLoadsInAConfiguration() throws Exception {
    String bastion = yamlBlocks().stream().filter(block -> block.startsWith("ssh:")).findFirst().orElseThrow();
    String config = """
        server:
          public_url: https://portcullis.example.com
        identity_providers:
          - {name: local, type: local, users: []}
        """ + bastion;

    PortcullisConfig loaded = ConfigLoader.parse(config, "README.md", Map.of());

    assertThat(loaded.ssh().bastion()).hasValueSatisfying(b ->
        assertThat(b.publicAddress("portcullis.example.com")).isEqualTo("bastion.example.com:3022"));
    assertThat(loaded.roles()).singleElement().satisfies(role -> assertThat(role.options().records()).isTrue());
  }

  private static java.util.List<String> yamlBlocks() throws Exception {
    String readme = Files.readString(repositoryRoot().resolve("README.md"));
    Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
    java.util.List<String> blocks = new java.util.ArrayList<>();
    while (block.find()) {
      blocks.add(block.group(1));
    }
    return blocks;
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
