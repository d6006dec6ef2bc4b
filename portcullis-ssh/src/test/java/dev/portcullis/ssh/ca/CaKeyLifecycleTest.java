package dev.portcullis.ssh.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import dev.portcullis.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CA keys on disk: created once, kept across restarts, rotated with overlap, retired for good. */
class CaKeyLifecycleTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final PublicKey ALICE = OpenSshKeys.generateEd25519(RANDOM).getPublic();

  @TempDir
  Path dir;
  final TestClock clock = new TestClock(Instant.parse("2030-06-01T12:00:00Z"));

  @Test
  void createsOneKeyAndKeepsItAcrossRestarts() throws IOException {
    Path caDir = dir.resolve("ca");
    SshCertificateAuthority first = open(caDir);

    SshCertificateAuthority restarted = open(caDir);

    assertThat(first.keys()).hasSize(1);
    assertThat(first.activeKey().generation()).isEqualTo(1);
    assertThat(restarted.keys()).isEqualTo(first.keys());
    assertThat(restarted.trustedPublicKeys()).containsExactly(first.activeKey().publicKeyLine());
    assertThat(first.activeKey().publicKeyLine()).endsWith(" portcullis-ssh-user-ca-1");
  }

  @Test
  void writesThePrivateKeyOwnerOnlyInOpenSshFormat() throws IOException {
    Path caDir = dir.resolve("ca");
    SshCertificateAuthority ca = open(caDir);

    Path key = caDir.resolve("ssh-user-ca-1.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(Files.readString(key, StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n").endsWith("-----END OPENSSH PRIVATE KEY-----\n");
    assertThat(Files.readString(caDir.resolve("ssh-user-ca-1.pub"))).isEqualTo(ca.activeKey().publicKeyLine() + "\n");
    try (var files = Files.list(caDir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ssh-user-ca-1.key", "ssh-user-ca-1.pub");
    }
  }

  @Test
  void refusesAKeyFileOthersCanRead() throws IOException {
    Path caDir = dir.resolve("ca");
    open(caDir);
    Files.setPosixFilePermissions(caDir.resolve("ssh-user-ca-1.key"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> open(caDir))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith("ssh-user-ca-1.key: permissions rw-r--r-- are too open for a CA private key"
            + " (expected: rw------- / 0600)");
  }

  @Test
  void refusesADamagedKeyFileInsteadOfMakingANewKey() throws IOException {
    Path caDir = dir.resolve("ca");
    open(caDir);
    Files.writeString(caDir.resolve("ssh-user-ca-1.key"), "-----BEGIN OPENSSH PRIVATE KEY-----\nbroken\n");

    assertThatThrownBy(() -> open(caDir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ssh-user-ca-1.key: not a readable unencrypted OpenSSH private key");
  }

  @Test
  void rotateAddsANewSignerWhileTheOldKeyStaysTrusted() throws IOException {
    Path caDir = dir.resolve("ca");
    SshCertificateAuthority ca = open(caDir);
    CaKey old = ca.activeKey();

    CaKey next = ca.rotate();

    assertThat(next.generation()).isEqualTo(2);
    assertThat(ca.activeKey()).isEqualTo(next);
    assertThat(ca.keys()).containsExactly(next, old);
    assertThat(ca.trustedPublicKeys()).containsExactly(next.publicKeyLine(), old.publicKeyLine());
    assertThat(issue(ca).caFingerprint()).isEqualTo(next.fingerprint());
    assertThat(issue(ca).certificate().getCaPubKey()).isEqualTo(next.publicKey());
    // A restart during the overlap keeps both, and the newest still signs.
    SshCertificateAuthority restarted = open(caDir);
    assertThat(restarted.keys()).containsExactly(next, old);
    assertThat(issue(restarted).caFingerprint()).isEqualTo(next.fingerprint());
  }

  @Test
  void retireDeletesTheOldKeyForGood() throws IOException {
    Path caDir = dir.resolve("ca");
    SshCertificateAuthority ca = open(caDir);
    CaKey old = ca.activeKey();
    CaKey next = ca.rotate();

    ca.retire(old.fingerprint());

    assertThat(ca.keys()).containsExactly(next);
    assertThat(ca.trustedPublicKeys()).containsExactly(next.publicKeyLine());
    assertThat(caDir.resolve("ssh-user-ca-1.key")).doesNotExist();
    assertThat(caDir.resolve("ssh-user-ca-1.pub")).doesNotExist();
    assertThat(open(caDir).keys()).containsExactly(next);
    // Generations keep counting up: a retired number is never reused.
    assertThat(ca.rotate().generation()).isEqualTo(3);
  }

  @Test
  void refusesToRetireTheActiveKeyOrAnUnknownOne() throws IOException {
    SshCertificateAuthority ca = open(dir.resolve("ca"));
    CaKey active = ca.activeKey();

    assertThatThrownBy(() -> ca.retire(active.fingerprint()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("fingerprint: " + active.fingerprint()
            + " is the active signing key (expected: rotate() first, then retire the older key)");
    assertThatThrownBy(() -> ca.retire("SHA256:unknown"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint: SHA256:unknown (expected: one of [" + active.fingerprint() + "])");
    assertThat(ca.keys()).containsExactly(active);
  }

  @Test
  void everyCertificateIssuedDuringRotationsIsSignedByATrustedKey() throws Exception {
    SshCertificateAuthority ca = open(dir.resolve("ca"));
    ConcurrentLinkedQueue<IssuedCertificate> issued = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> signers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      signers.add(Thread.ofPlatform().start(() -> {
        awaitQuietly(start);
        for (int i = 0; i < 250; i++) {
          issued.add(issue(ca));
        }
      }));
    }
    start.countDown();
    for (int r = 0; r < 5; r++) {
      ca.rotate();
    }
    for (Thread signer : signers) {
      signer.join();
    }

    List<String> trusted = ca.keys().stream().map(CaKey::fingerprint).toList();
    assertThat(trusted).hasSize(6);
    assertThat(issued).hasSize(1000).allSatisfy(cert -> {
      assertThat(trusted).contains(cert.caFingerprint());
      assertThat(SshPublicKeys.fingerprint(cert.certificate().getCaPubKey())).isEqualTo(cert.caFingerprint());
    });
  }

  private SshCertificateAuthority open(Path caDir) throws IOException {
    return SshCertificateAuthority.open(SshCaType.USER, caDir, clock, RANDOM);
  }

  private static IssuedCertificate issue(SshCertificateAuthority ca) {
    return ca.issueUser(UserCertificateRequest.of(ALICE, "alice", List.of("root"), Duration.ofMinutes(5)));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
