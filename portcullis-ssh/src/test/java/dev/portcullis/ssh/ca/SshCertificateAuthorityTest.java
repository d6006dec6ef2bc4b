package dev.portcullis.ssh.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import dev.portcullis.testing.TestClock;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshCertificateAuthorityTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final PublicKey ALICE = OpenSshKeys.generateEd25519(RANDOM).getPublic();

  @TempDir
  Path dir;
  final TestClock clock = new TestClock(NOW);

  @Test
  void userCertificateCarriesTheRequestAndAWindowBackdatedOneMinute() throws IOException {
    SshCertificateAuthority ca = userCa();

    IssuedCertificate issued = ca.issueUser(
        UserCertificateRequest.of(ALICE, "alice@local (session 1)", List.of("alice", "root"), Duration.ofHours(8)));

    OpenSshCertificate cert = issued.certificate();
    assertThat(cert.getType()).isEqualTo(OpenSshCertificate.Type.USER);
    assertThat(cert.getKeyType()).isEqualTo("ssh-ed25519-cert-v01@openssh.com");
    assertThat(cert.getCertPubKey()).isEqualTo(ALICE);
    assertThat(issued.keyId()).isEqualTo("alice@local (session 1)");
    assertThat(issued.principals()).containsExactly("alice", "root");
    assertThat(issued.validAfter()).isEqualTo(NOW.minusSeconds(60));
    assertThat(issued.validBefore()).isEqualTo(NOW.plus(Duration.ofHours(8)));
    assertThat(cert.getExtensionsMap()).isEqualTo(Map.of("permit-pty", ""));
    assertThat(cert.getCriticalOptions()).isEmpty();
    assertThat(issued.caFingerprint()).isEqualTo(ca.activeKey().fingerprint());
    assertThat(cert.getCaPubKey()).isEqualTo(ca.activeKey().publicKey());
    assertThat(issued.line()).startsWith("ssh-ed25519-cert-v01@openssh.com AAAA").doesNotContain("\n");
    assertThat(SshPublicKeys.toLine(cert)).isEqualTo(issued.line());
  }

  @Test
  void signatureVerifiesWithTheCaKeyUnderTheJdksOwnEd25519() throws Exception {
    SshCertificateAuthority ca = userCa();
    IssuedCertificate issued = ca.issueUser(UserCertificateRequest.of(ALICE, "alice", List.of("root"), Duration.ofMinutes(5)));
    SshCertificateAuthority other = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("other"), clock, RANDOM);

    assertThat(issued.certificate().getSignatureAlgorithm()).isEqualTo("ssh-ed25519");
    assertThat(verifies(ca.activeKey().publicKey(), issued)).isTrue();
    assertThat(verifies(other.activeKey().publicKey(), issued)).isFalse();
  }

  @Test
  void grantsExactlyTheRequestedExtensionsAndSourceAddresses() throws IOException {
    SshCertificateAuthority ca = userCa();
    UserCertificateRequest request = UserCertificateRequest.of(ALICE, "alice", List.of("root"), Duration.ofMinutes(5))
        .withExtensions(Set.of(UserExtension.PORT_FORWARDING, UserExtension.AGENT_FORWARDING))
        .withSourceAddresses(List.of("10.0.0.0/8", "::1"));

    OpenSshCertificate cert = ca.issueUser(request).certificate();

    assertThat(cert.getExtensionsMap()).containsOnlyKeys("permit-pty", "permit-port-forwarding", "permit-agent-forwarding");
    assertThat(cert.getCriticalOptionsMap()).isEqualTo(Map.of("source-address", "10.0.0.0/8,::1"));
  }

  @Test
  void hostCertificateNamesTheHostAndCarriesNoOptions() throws IOException {
    SshCertificateAuthority ca = SshCertificateAuthority.open(SshCaType.HOST, dir, clock, RANDOM);
    PublicKey hostKey = OpenSshKeys.generateEd25519(RANDOM).getPublic();

    IssuedCertificate issued = ca.issueHost(
        new HostCertificateRequest(hostKey, "node web-1", List.of("web-1.example.com", "10.0.0.5"), Duration.ofDays(7)));

    assertThat(issued.certificate().getType()).isEqualTo(OpenSshCertificate.Type.HOST);
    assertThat(issued.principals()).containsExactly("web-1.example.com", "10.0.0.5");
    assertThat(issued.validAfter()).isEqualTo(NOW.minusSeconds(60));
    assertThat(issued.validBefore()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    assertThat(issued.certificate().getExtensions()).isEmpty();
    assertThat(issued.certificate().getCriticalOptions()).isEmpty();
  }

  @Test
  void eachCaSignsOnlyItsOwnKind() throws IOException {
    SshCertificateAuthority user = userCa();
    SshCertificateAuthority host = SshCertificateAuthority.open(SshCaType.HOST, dir, clock, RANDOM);
    PublicKey key = OpenSshKeys.generateEd25519(RANDOM).getPublic();

    assertThatThrownBy(() -> user.issueHost(new HostCertificateRequest(key, "node", List.of("node1"), Duration.ofDays(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("issueHost: this is the ssh-user CA (expected: the ssh-host CA)");
    assertThatThrownBy(() -> host.issueUser(UserCertificateRequest.of(key, "alice", List.of("root"), Duration.ofMinutes(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("issueUser: this is the ssh-host CA (expected: the ssh-user CA)");
    assertThatThrownBy(() -> user.knownHostsLines("*")).isInstanceOf(IllegalStateException.class);
    // Both share the directory but never a key.
    assertThat(user.activeKey().fingerprint()).isNotEqualTo(host.activeKey().fingerprint());
  }

  @Test
  void knownHostsLinesTrustTheHostCaForThePatterns() throws IOException {
    SshCertificateAuthority host = SshCertificateAuthority.open(SshCaType.HOST, dir, clock, RANDOM);

    assertThat(host.knownHostsLines("*.example.com,10.0.0.*"))
        .containsExactly("@cert-authority *.example.com,10.0.0.* " + host.activeKey().publicKeyLine());
    for (String bad : List.of("", "*.example.com ssh-rsa", "a\nb", "@revoked", "#x")) {
      assertThatThrownBy(() -> host.knownHostsLines(bad)).as(bad).hasMessageStartingWith("hostPatterns: ");
    }
  }

  @Test
  void serialsAreRandomAndNeverZero() throws IOException {
    SshCertificateAuthority scripted = SshCertificateAuthority.open(SshCaType.USER, dir, clock,
        new ScriptedRandom(List.of(0L, 0L, 7L)));
    UserCertificateRequest request = UserCertificateRequest.of(ALICE, "alice", List.of("root"), Duration.ofMinutes(5));

    assertThat(scripted.issueUser(request).serial()).isEqualTo(7L);

    SshCertificateAuthority ca = SshCertificateAuthority.open(SshCaType.USER, dir, clock, RANDOM);
    Set<Long> serials = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      serials.add(ca.issueUser(request).serial());
    }
    assertThat(serials).hasSize(1000).doesNotContain(0L);
  }

  @Test
  void validAfterStopsAtTheEpoch() throws IOException {
    clock.set(Instant.ofEpochSecond(10));

    IssuedCertificate issued = userCa().issueUser(UserCertificateRequest.of(ALICE, "alice", List.of("root"), Duration.ofMinutes(5)));

    assertThat(issued.validAfter()).isEqualTo(Instant.EPOCH);
    assertThat(issued.validBefore()).isEqualTo(Instant.ofEpochSecond(310));
  }

  private SshCertificateAuthority userCa() throws IOException {
    return SshCertificateAuthority.open(SshCaType.USER, dir, clock, RANDOM);
  }

  /** Checks the certificate's signature with the JDK's Ed25519, independent of MINA and Bouncy Castle. */
  private static boolean verifies(PublicKey caKey, IssuedCertificate issued) throws Exception {
    PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(caKey.getEncoded()));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(jdkKey);
    verifier.update(issued.certificate().getMessage());
    return verifier.verify(issued.certificate().getRawSignature());
  }
}
