package dev.portcullis.ssh.ca;

import static dev.portcullis.ssh.openssh.OpenSshAssertions.assertLoggedIn;
import static dev.portcullis.ssh.openssh.OpenSshAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.ssh.openssh.SshClient;
import dev.portcullis.ssh.openssh.TestSshd;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User CA rotation as a real sshd sees it: both keys work during the overlap, the retired one stops working. */
class OpenSshRotationTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TTL = Duration.ofMinutes(5);

  @TempDir
  static Path dir;
  static TestSshd sshd;
  static SshClient client;
  static KeyFiles alice;

  @TempDir
  Path caDir;
  SshCertificateAuthority userCa;

  @BeforeAll
  static void startSshd() throws IOException {
    RealOpenSsh.requireOrSkip();
    SshCertificateAuthority hostCa =
        SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("host-ca"), InstantSource.system(), RANDOM);
    sshd = TestSshd.start(dir.resolve("sshd"), hostCa, List.of(), "root");
    client = new SshClient(sshd, KeyFiles.writeLines(dir.resolve("known_hosts"), hostCa.knownHostsLines("*.portcullis.test")));
    alice = KeyFiles.create(dir, "id_alice");
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  @BeforeEach
  void freshUserCa() throws IOException {
    userCa = SshCertificateAuthority.open(SshCaType.USER, caDir, InstantSource.system(), RANDOM);
    sshd.trustUserCaKeys(userCa.trustedPublicKeys());
  }

  @Test
  void certificatesFromTheOldAndTheNewKeyBothLogInDuringTheOverlap() throws IOException {
    Path fromOld = alice.writeCertificate("old", issue());
    CaKey old = userCa.activeKey();

    CaKey next = userCa.rotate();
    sshd.trustUserCaKeys(userCa.trustedPublicKeys());
    IssuedCertificate issuedByNew = issue();
    Path fromNew = alice.writeCertificate("new", issuedByNew);

    assertThat(issuedByNew.caFingerprint()).isEqualTo(next.fingerprint()).isNotEqualTo(old.fingerprint());
    int oldMark = sshd.logMark();
    assertLoggedIn(sshd, oldMark, client.run(alice, fromOld, "true"));
    assertThat(sshd.logSince(oldMark)).anyMatch(line -> line.contains("signed by ED25519 CA " + old.fingerprint()));
    int newMark = sshd.logMark();
    assertLoggedIn(sshd, newMark, client.run(alice, fromNew, "true"));
    assertThat(sshd.logSince(newMark)).anyMatch(line -> line.contains("signed by ED25519 CA " + next.fingerprint()));
  }

  @Test
  void afterRetireTheOldKeysCertificatesAreRefusedAndTheNewOnesStillWork() throws IOException {
    Path fromOld = alice.writeCertificate("old", issue());
    CaKey old = userCa.activeKey();
    userCa.rotate();
    Path fromNew = alice.writeCertificate("new", issue());

    userCa.retire(old.fingerprint());
    sshd.trustUserCaKeys(userCa.trustedPublicKeys());

    int oldMark = sshd.logMark();
    Command.Result refused = client.run(alice, fromOld, "true");
    assertRefused(sshd, oldMark, refused, "CA ED25519 " + old.fingerprint());
    int newMark = sshd.logMark();
    assertLoggedIn(sshd, newMark, client.run(alice, fromNew, "true"));
  }

  @Test
  void opensshReadsTheCaKeyFiles() throws IOException {
    userCa.rotate();

    for (CaKey key : userCa.keys()) {
      Command.Result result = Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-y", "-f",
          caDir.resolve("ssh-user-ca-" + key.generation() + ".key").toString()), Duration.ofSeconds(10));
      assertThat(result.exitCode()).as(result::describe).isZero();
      assertThat(result.stdout().strip()).isEqualTo(key.publicKeyLine());
    }
  }

  private IssuedCertificate issue() {
    return userCa.issueUser(UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), TTL));
  }
}
