package dev.portcullis.ssh.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserCertificateRequestTest {

  private static final PublicKey KEY = OpenSshKeys.generateEd25519(new SecureRandom()).getPublic();
  private static final Duration TTL = Duration.ofHours(1);

  @ParameterizedTest
  @ValueSource(strings = {"root", "alice", "_svc", "deploy-bot_2", "a", "abcdefghijklmnopqrstuvwxyz012345"})
  void acceptsStrictLogins(String login) {
    assertThat(UserCertificateRequest.of(KEY, "alice", List.of(login), TTL).principals()).containsExactly(login);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Alice", "1alice", "-alice", "al ice", "alice\n", "al;ice", "alice$", "ålice",
      "root,alice", "../root", "abcdefghijklmnopqrstuvwxyz0123456", "*"})
  void refusesPrincipalsThatAreNotStrictLogins(String login) {
    assertThatThrownBy(() -> UserCertificateRequest.of(KEY, "alice", List.of("root", login), TTL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("principals: ")
        .hasMessageContaining("expected: a login matching [a-z_][a-z0-9_-]{0,31}");
  }

  @Test
  void refusesAnEmptyOrDuplicatedPrincipalList() {
    assertThatThrownBy(() -> UserCertificateRequest.of(KEY, "alice", List.of(), TTL))
        .hasMessage("principals: 0 entries (expected: 1 to 256)");
    assertThatThrownBy(() -> UserCertificateRequest.of(KEY, "alice", List.of("root", "root"), TTL))
        .hasMessage("principals: \"root\" appears twice (expected: distinct values)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "alice\nbob", "alice\u0000", "alice\u001b[31m", "ålice"})
  void refusesKeyIdsThatAreNotPrintableAscii(String keyId) {
    assertThatThrownBy(() -> UserCertificateRequest.of(KEY, keyId, List.of("root"), TTL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("keyId: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void refusesAKeyIdLongerThan255Characters() {
    assertThat(UserCertificateRequest.of(KEY, "a".repeat(255), List.of("root"), TTL).keyId()).hasSize(255);
    assertThatThrownBy(() -> UserCertificateRequest.of(KEY, "a".repeat(256), List.of("root"), TTL))
        .hasMessageStartingWith("keyId: ");
  }

  @Test
  void refusesATtlBelowOneSecond() {
    for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(-5), Duration.ofMillis(999))) {
      assertThatThrownBy(() -> UserCertificateRequest.of(KEY, "alice", List.of("root"), ttl))
          .hasMessage("ttl: " + ttl + " (expected: >= 1s)");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "::1", "2001:db8::/32",
      "fe80::/10", "10.1.2.3/32"})
  void acceptsSourceAddressesSshdAccepts(String address) {
    UserCertificateRequest request = UserCertificateRequest.of(KEY, "alice", List.of("root"), TTL)
        .withSourceAddresses(List.of(address));
    assertThat(request.sourceAddresses()).containsExactly(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/08", "1.2.3", "010.0.0.1", "256.0.0.1",
      "::ffff:10.0.0.1", "fe80::1%eth0", "[::1]", "2001:db8::1/32", "example.com", "10.0.0.0/", "", "10.0.0.0/8 "})
  void refusesSourceAddressesSshdWouldReject(String address) {
    UserCertificateRequest request = UserCertificateRequest.of(KEY, "alice", List.of("root"), TTL);
    assertThatThrownBy(() -> request.withSourceAddresses(List.of(address)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sourceAddresses: ");
  }

  @Test
  void grantsNoExtensionsUnlessAskedAndCopiesTheSetItIsGiven() {
    UserCertificateRequest plain = UserCertificateRequest.of(KEY, "alice", List.of("root"), TTL);
    assertThat(plain.extensions()).isEmpty();
    assertThat(plain.sourceAddresses()).isEmpty();

    Set<UserExtension> asked = new HashSet<>(Set.of(UserExtension.AGENT_FORWARDING));
    UserCertificateRequest withAgent = plain.withExtensions(asked);
    asked.add(UserExtension.PORT_FORWARDING);

    assertThat(withAgent.extensions()).containsExactly(UserExtension.AGENT_FORWARDING);
    assertThatThrownBy(() -> withAgent.extensions().add(UserExtension.X11_FORWARDING))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(plain.withExtensions(EnumSet.allOf(UserExtension.class)).extensions())
        .containsExactly(UserExtension.PORT_FORWARDING, UserExtension.AGENT_FORWARDING, UserExtension.X11_FORWARDING);
  }

  @Test
  void readsTheUserKeyFromAnAuthorizedKeysLine() {
    String line = SshPublicKeys.toLine(KEY) + " alice@laptop";

    UserCertificateRequest request = UserCertificateRequest.of(line, "alice", List.of("root"), TTL);

    assertThat(request.publicKey()).isEqualTo(KEY);
  }

  @Test
  void refusesRsaKeysShorterThan2048Bits() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    KeyPair weak = rsa.generateKeyPair();

    assertThatThrownBy(() -> UserCertificateRequest.of(weak.getPublic(), "alice", List.of("root"), TTL))
        .hasMessage("publicKey: RSA key of 1024 bits (expected: >= 2048)");
  }
}
