package dev.portcullis.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.ssh.ca.HostCertificateRequest;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.UserCertificateRequest;
import dev.portcullis.ssh.openssh.KeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeyLinesTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  SshCertificateAuthority hostCa;
  SshCertificateAuthority userCa;
  KeyFiles hostKey;
  String hostKeyLine;

  @BeforeEach
  void createKeys() throws IOException {
    hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("ca"), InstantSource.system(), RANDOM);
    userCa = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"), InstantSource.system(), RANDOM);
    hostKey = KeyFiles.create(dir, "ssh_host_ed25519_key");
    hostKeyLine = SshKeyLines.readHostKey(dir.resolve("ssh_host_ed25519_key.pub"));
  }

  @Test
  void readsTheHostKeyWithoutItsComment() {
    assertThat(hostKeyLine).isEqualTo(hostKey.publicKeyLine());
  }

  @Test
  void refusesAHostKeyFileThatIsNotEd25519() throws IOException {
    Path rsa = Files.writeString(dir.resolve("rsa.pub"), "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ host\n");

    assertThatThrownBy(() -> SshKeyLines.readHostKey(rsa)).hasMessageContaining("is not an Ed25519 public key line");
    assertThatThrownBy(() -> SshKeyLines.readHostKey(dir.resolve("missing.pub")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void acceptsAHostCertificateForThisKeyAndReadsItsNamesAndExpiry() {
    IssuedCertificate issued = hostCa.issueHost(HostCertificateRequest.of(hostKeyLine, "node web-1",
        List.of("web-1", "10.0.0.5"), Duration.ofDays(30)));

    SshKeyLines.HostCertificate certificate = SshKeyLines.hostCertificate(issued.line(), hostKeyLine);

    assertThat(certificate.principals()).containsExactly("web-1", "10.0.0.5");
    assertThat(certificate.validBefore()).isEqualTo(issued.validBefore());
    assertThat(certificate.line()).isEqualTo(issued.line().split(" ")[0] + " " + issued.line().split(" ")[1]);
  }

  @Test
  void refusesACertificateForAnotherKeyAUserCertificateAndGarbage() {
    String otherKey = KeyFiles.create(dir, "other").publicKeyLine();
    IssuedCertificate forOther = hostCa.issueHost(HostCertificateRequest.of(otherKey, "x", List.of("web-1"),
        Duration.ofDays(1)));
    IssuedCertificate userCertificate = userCa.issueUser(UserCertificateRequest.of(hostKeyLine, "alice",
        List.of("alice"), Duration.ofHours(1)));

    assertThatThrownBy(() -> SshKeyLines.hostCertificate(forOther.line(), hostKeyLine))
        .hasMessageContaining("certifies another key");
    assertThatThrownBy(() -> SshKeyLines.hostCertificate(userCertificate.line(), hostKeyLine))
        .hasMessageContaining("is a user certificate");
    byte[] blob = Base64.getDecoder().decode(forOther.line().split(" ")[1]);
    String truncated = "ssh-ed25519-cert-v01@openssh.com "
        + Base64.getEncoder().encodeToString(Arrays.copyOf(blob, 90));
    assertThatThrownBy(() -> SshKeyLines.hostCertificate(truncated, otherKey))
        .hasMessageContaining("truncated or malformed");
    assertThatThrownBy(() -> SshKeyLines.hostCertificate(forOther.line() + "\n" + forOther.line(), hostKeyLine))
        .hasMessageContaining("not one");
    assertThatThrownBy(() -> SshKeyLines.hostCertificate(null, hostKeyLine)).hasMessageContaining("not one");
  }

  @Test
  void acceptsOnlyPlainPublicKeyLinesAsUserCaKeys() {
    List<String> keys = userCa.trustedPublicKeys();

    assertThat(SshKeyLines.userCaKeys(keys)).isEqualTo(keys);
    assertThat(SshKeyLines.userCaFile(keys)).isEqualTo(String.join("\n", keys) + "\n");
    assertThatThrownBy(() -> SshKeyLines.userCaKeys(List.of()))
        .hasMessageContaining("ssh_user_ca: 0 keys (expected: 1 to 32");
    assertThatThrownBy(() -> SshKeyLines.userCaKeys(List.of("cert-authority " + keys.getFirst())))
        .hasMessageContaining("expected: a public key line");
    assertThatThrownBy(() -> SshKeyLines.userCaKeys(List.of(keys.getFirst() + "\nssh-ed25519 AAAAC3Nz evil")))
        .hasMessageContaining("expected: a public key line");
  }
}
