package dev.portcullis.ssh.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import dev.portcullis.testing.TestClock;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshPublicKeysTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final PublicKey KEY = OpenSshKeys.generateEd25519(RANDOM).getPublic();

  @Test
  void roundTripsAKeyLineWithOrWithoutAComment() {
    String line = SshPublicKeys.toLine(KEY);

    assertThat(line).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI").doesNotContain("\n");
    assertThat(SshPublicKeys.parse(line)).isEqualTo(KEY);
    assertThat(SshPublicKeys.parse("  " + line + " alice@laptop with spaces\n")).isEqualTo(KEY);
  }

  @Test
  void fingerprintsAsOpenSshDoes() {
    assertThat(SshPublicKeys.fingerprint(KEY)).matches("SHA256:[A-Za-z0-9+/]{43}");
  }

  @Test
  void refusesACertificateAsAKeyToCertify(@TempDir Path dir) throws Exception {
    SshCertificateAuthority ca = SshCertificateAuthority.open(SshCaType.USER, dir, new TestClock(Instant.EPOCH), RANDOM);
    String certificate = ca.issueUser(UserCertificateRequest.of(KEY, "alice", List.of("root"), Duration.ofMinutes(1))).line();

    assertThatThrownBy(() -> SshPublicKeys.parse(certificate))
        .hasMessageStartingWith("publicKey: \"ssh-ed25519-cert-v01@openssh.com\"")
        .hasMessageContaining("not a certificate");
  }

  @Test
  void refusesLinesThatAreNotOnePlainKey() {
    String line = SshPublicKeys.toLine(KEY);
    String base64 = line.split(" ")[1];
    for (String bad : List.of("", "ssh-ed25519", "ssh-ed25519 not-base64!", "command=\"sh\" " + line,
        line + "\n" + line, "ssh-rsa " + base64, "ssh-dss " + base64)) {
      assertThatThrownBy(() -> SshPublicKeys.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("publicKey: ");
    }
  }
}
