package dev.portcullis.config;

import static dev.portcullis.config.ConfigErrorsTest.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ssh} section (the bastion) and the recording option of roles. */
class SshSectionConfigTest {

  private static PortcullisConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "portcullis.yaml", Map.of());
  }

  @Test
  void noBastionUnlessConfigured() {
    assertThat(parse(BASE).ssh().bastion()).isEmpty();
  }

  @Test
  void bastionListensWhereConfiguredAndIsDialledAtThePublicHostByDefault() {
    BastionConfig bastion = parse(BASE + """
        ssh:
          bastion:
            listen: 0.0.0.0:3022
        """).ssh().bastion().orElseThrow();

    assertThat(bastion.listen()).isEqualTo(new ListenAddress("0.0.0.0", 3022));
    assertThat(bastion.publicAddress("portcullis.example.com")).isEqualTo("portcullis.example.com:3022");
  }

  @Test
  void explicitPublicAddressWins() {
    BastionConfig bastion = parse(BASE + """
        ssh:
          bastion:
            listen: 127.0.0.1:3022
            public_address: jump.example.com:22
        """).ssh().bastion().orElseThrow();

    assertThat(bastion.publicAddress("portcullis.example.com")).isEqualTo("jump.example.com:22");
  }

  @Test
  void loginsToNodesAreReusedUnlessTurnedOff() {
    String listen = BASE + """
        ssh:
          bastion:
            listen: 127.0.0.1:3022
        """;
    assertThat(parse(listen).ssh().bastion().orElseThrow().reuseNodeConnections()).isTrue();
    assertThat(parse(listen + "    reuse_node_connections: false\n").ssh().bastion().orElseThrow()
        .reuseNodeConnections()).isFalse();
    assertThatThrownBy(() -> parse(listen + "    reuse_node_connections: sometimes\n"))
        .hasMessageContaining("reuse_node_connections");
  }

  @Test
  void undialablePublicAddressIsRefusedWithItsPath() {
    assertThatThrownBy(() -> parse(BASE + """
        ssh:
          bastion:
            listen: 127.0.0.1:3022
            public_address: "jump.example.com"
        """)).hasMessageContaining("ssh.bastion.public_address")
        .hasMessageContaining("expected: host:port that clients dial");
  }

  @Test
  void bastionWithoutListenIsRefused() {
    assertThatThrownBy(() -> parse(BASE + """
        ssh:
          bastion: {}
        """)).hasMessageContaining("ssh.bastion.listen").hasMessageContaining("missing");
  }

  @Test
  void rolesRecordSessionsUnlessTheyOptOut() {
    PortcullisConfig config = parse(BASE + """
        roles:
          - name: recorded
            allow: {logins: [alice]}
          - name: private
            allow: {logins: [bob]}
            options: {record_sessions: false}
        """);

    assertThat(config.role("recorded").orElseThrow().options().records()).isTrue();
    assertThat(config.role("private").orElseThrow().options().records()).isFalse();
  }
}
