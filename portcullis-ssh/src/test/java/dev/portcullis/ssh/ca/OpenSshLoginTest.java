package dev.portcullis.ssh.ca;

import static dev.portcullis.ssh.openssh.OpenSshAssertions.assertLoggedIn;
import static dev.portcullis.ssh.openssh.OpenSshAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.ssh.openssh.SshClient;
import dev.portcullis.ssh.openssh.TestSshd;
import dev.portcullis.testing.TestClock;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Portcullis certificates against Debian's real sshd and ssh: what logs in, what is refused and why, and how
 * the client trusts the host through the host CA alone.
 */
class OpenSshLoginTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TTL = Duration.ofMinutes(5);

  @TempDir
  static Path dir;
  static SshCertificateAuthority userCa;
  static SshCertificateAuthority hostCa;
  static TestSshd sshd;
  static Path knownHosts;
  static SshClient client;
  static KeyFiles alice;

  @BeforeAll
  static void startSshd() throws IOException {
    RealOpenSsh.requireOrSkip();
    // sshd judges validity by the real time, so the CA does too.
    userCa = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"), InstantSource.system(), RANDOM);
    hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("ca"), InstantSource.system(), RANDOM);
    sshd = TestSshd.start(dir.resolve("sshd"), hostCa, userCa.trustedPublicKeys(), "root");
    knownHosts = KeyFiles.writeLines(dir.resolve("known_hosts"), hostCa.knownHostsLines("*.portcullis.test"));
    client = new SshClient(sshd, knownHosts);
    alice = KeyFiles.create(dir, "id_alice");
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void logsInWithAUserCertificateAndTrustsTheHostThroughItsCertificateAlone() throws IOException {
    IssuedCertificate cert = userCa.issueUser(
        UserCertificateRequest.of(alice.publicKeyLine(), "alice@local (session 1)", List.of("root"), TTL));
    int mark = sshd.logMark();

    Command.Result result = client.run(alice, alice.writeCertificate(cert), "echo", "portcullis-login-ok");

    assertLoggedIn(sshd, mark, result);
    assertThat(result.stdout()).isEqualTo("portcullis-login-ok\n");
    assertThat(sshd.logSince(mark)).anyMatch(line -> line.contains(
        "Accepted certificate ID \"alice@local (session 1)\" (serial " + Long.toUnsignedString(cert.serial())
            + ") signed by ED25519 CA " + userCa.activeKey().fingerprint()));
    // StrictHostKeyChecking=yes with nothing but the CA line: the host certificate was the only way in.
    assertThat(Files.readAllLines(knownHosts)).containsExactlyElementsOf(hostCa.knownHostsLines("*.portcullis.test"))
        .allMatch(line -> line.startsWith("@cert-authority "));
  }

  @Test
  void clientRefusesAHostWhoseCertificateDoesNotNameIt() {
    IssuedCertificate cert = userCa.issueUser(UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), TTL));

    Command.Result result = client.run(alice, alice.writeCertificate(cert),
        List.of("-o", "HostKeyAlias=node2.portcullis.test"), "true");

    assertThat(result.exitCode()).as(result::describe).isEqualTo(255);
    assertThat(result.stderr()).contains("name is not a listed principal").contains("Host key verification failed");
  }

  @Test
  void clientRefusesTheHostWhenItTrustsAnotherHostCa() throws IOException {
    SshCertificateAuthority otherHostCa =
        SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("other-host-ca"), InstantSource.system(), RANDOM);
    Path otherKnownHosts = KeyFiles.writeLines(dir.resolve("known_hosts_other"),
        otherHostCa.knownHostsLines("*.portcullis.test"));
    IssuedCertificate cert = userCa.issueUser(UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), TTL));

    Command.Result result = new SshClient(sshd, otherKnownHosts).run(alice, alice.writeCertificate(cert), "true");

    assertThat(result.exitCode()).as(result::describe).isEqualTo(255);
    assertThat(result.stderr()).contains("Host key verification failed");
  }

  @Test
  void refusesAnExpiredCertificate() throws IOException {
    // Issued two hours ago for one hour.
    SshCertificateAuthority past = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"),
        new TestClock(Instant.now().minus(Duration.ofHours(2))), RANDOM);
    IssuedCertificate cert = past.issueUser(
        UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), Duration.ofHours(1)));
    int mark = sshd.logMark();

    Command.Result result = client.run(alice, alice.writeCertificate(cert), "true");

    assertRefused(sshd, mark, result, "Certificate invalid: expired");
  }

  @Test
  void refusesACertificateThatIsNotYetValid() throws IOException {
    // Issued "in two hours": even back-dated a minute it starts in the future.
    SshCertificateAuthority future = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"),
        new TestClock(Instant.now().plus(Duration.ofHours(2))), RANDOM);
    IssuedCertificate cert = future.issueUser(UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), TTL));
    int mark = sshd.logMark();

    Command.Result result = client.run(alice, alice.writeCertificate(cert), "true");

    assertRefused(sshd, mark, result, "Certificate invalid: not yet valid");
  }

  @Test
  void refusesACertificateFromAnotherCa() throws IOException {
    SshCertificateAuthority other =
        SshCertificateAuthority.open(SshCaType.USER, dir.resolve("other-user-ca"), InstantSource.system(), RANDOM);
    IssuedCertificate cert = other.issueUser(UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), TTL));
    int mark = sshd.logMark();

    Command.Result result = client.run(alice, alice.writeCertificate(cert), "true");

    assertRefused(sshd, mark, result, "Failed publickey for root from 127.0.0.1");
    assertThat(sshd.logSince(mark)).anyMatch(line -> line.contains("CA ED25519 " + other.activeKey().fingerprint()));
  }

  @Test
  void refusesACertificateWithoutTheLoginAsAPrincipal() {
    IssuedCertificate cert = userCa.issueUser(UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("alice"), TTL));
    int mark = sshd.logMark();

    Command.Result result = client.run(alice, alice.writeCertificate(cert), "true");

    assertRefused(sshd, mark, result, "Certificate does not contain an authorized principal");
  }

  @Test
  void refusesAClientOutsideTheSourceAddresses() {
    UserCertificateRequest request = UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), TTL);
    IssuedCertificate elsewhere = userCa.issueUser(request.withSourceAddresses(List.of("10.0.0.0/8")));
    IssuedCertificate loopback = userCa.issueUser(request.withSourceAddresses(List.of("10.0.0.0/8", "127.0.0.1/32")));

    int refusedMark = sshd.logMark();
    Command.Result refused = client.run(alice, alice.writeCertificate(elsewhere), "true");
    assertRefused(sshd, refusedMark, refused, "not from a permitted source address");

    int acceptedMark = sshd.logMark();
    assertLoggedIn(sshd, acceptedMark, client.run(alice, alice.writeCertificate(loopback), "true"));
  }
}
