package dev.portcullis.ssh.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostCertificateRequestTest {

  private static final PublicKey KEY = OpenSshKeys.generateEd25519(new SecureRandom()).getPublic();

  @ParameterizedTest
  @ValueSource(strings = {"node1", "web-1.example.com", "10.0.0.5", "::1", "2001:db8::5", "a.b-c.d0"})
  void acceptsHostNamesAndAddresses(String name) {
    assertThat(new HostCertificateRequest(KEY, "node", List.of(name), Duration.ofDays(1)).principals())
        .containsExactly(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Node1.example.com", "*.example.com", "node_1", "-node", "node-", "node..example",
      ".example.com", "node 1", "node1\n", "[::1]", "fe80::1%eth0", "n\u00f6de"})
  void refusesWhatIsNotAHostNameOrAddress(String name) {
    assertThatThrownBy(() -> new HostCertificateRequest(KEY, "node", List.of(name), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("principals: ")
        .hasMessageContaining("expected: a lowercase host name or an IP address");
  }
}
