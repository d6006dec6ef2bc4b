package dev.portcullis.ssh.issuance;

import static dev.portcullis.ssh.issuance.Fixture.OLGA;
import static dev.portcullis.ssh.issuance.Fixture.OSCAR;
import static dev.portcullis.ssh.issuance.Fixture.POLICY;
import static dev.portcullis.ssh.openssh.OpenSshAssertions.assertLoggedIn;
import static dev.portcullis.ssh.openssh.OpenSshAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.identity.Identity;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.ssh.openssh.SshClient;
import dev.portcullis.ssh.openssh.TestSshd;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates issued from policy, read by real OpenSSH: {@code ssh-keygen -L} prints what the roles
 * granted, and Debian's sshd lets in exactly the logins the policy put in them.
 */
class IssuedCertificateOpenSshTest {
  private static final DateTimeFormatter KEYGEN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  @TempDir
  static Path dir;
  static SshCertificateAuthority userCa;
  static SshCertificateIssuer issuer;
  static TestSshd sshd;
  static SshClient client;

  @BeforeAll
  static void startSshd() throws IOException {
    RealOpenSsh.requireOrSkip();
    SecureRandom random = new SecureRandom();
    // sshd judges validity by the real time, so the CA does too.
    userCa = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"), InstantSource.system(), random);
    SshCertificateAuthority hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("ca"),
        InstantSource.system(), random);
    issuer = new SshCertificateIssuer(userCa, Locks.NONE);
    sshd = TestSshd.start(dir.resolve("sshd"), hostCa, userCa.trustedPublicKeys(), "root");
    client = new SshClient(sshd, KeyFiles.writeLines(dir.resolve("known_hosts"),
        hostCa.knownHostsLines("*.portcullis.test")));
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  static Path certificateFor(Identity identity, KeyFiles key) {
    Issuance issuance = issuer.issue(identity, key.keyPair().getPublic(), POLICY, Optional.empty());
    assertThat(issuance).isInstanceOf(Issuance.Issued.class);
    return KeyFiles.writeLines(key.privateKey().resolveSibling(key.privateKey().getFileName() + "-cert.pub"),
        List.of(((Issuance.Issued) issuance).certificate()));
  }

  @Test
  void sshKeygenShowsThePrincipalsKeyIdValidityAndExtensionsThePolicyGranted() {
    KeyFiles key = KeyFiles.create(dir, "id_oscar");
    Issuance.Issued issued = (Issuance.Issued) issuer.issue(OSCAR, key.keyPair().getPublic(), POLICY,
        Optional.of(Duration.ofMinutes(90)));
    Path cert = KeyFiles.writeLines(dir.resolve("id_oscar-cert.pub"), List.of(issued.certificate()));

    Command.Result result = Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-L", "-f", cert.toString()),
        Map.of("TZ", "UTC"), Duration.ofSeconds(10));

    assertThat(result.exitCode()).as(result::describe).isZero();
    List<String> lines = result.stdout().lines().map(String::strip).toList();
    assertThat(lines).contains(
        "Type: ssh-ed25519-cert-v01@openssh.com user certificate",
        "Signing CA: ED25519 " + userCa.activeKey().fingerprint() + " (using ssh-ed25519)",
        "Key ID: \"oscar@corp\"",
        "Serial: " + issued.serialText(),
        "Valid: from " + KEYGEN_TIME.format(issued.validAfter()) + " to " + KEYGEN_TIME.format(issued.validBefore()),
        "Critical Options: (none)");
    assertThat(Duration.between(issued.validAfter(), issued.validBefore())).isEqualTo(Duration.ofMinutes(91));
    assertThat(lines).containsSubsequence("Principals:", "oscar", "ubuntu", "Critical Options: (none)");
    assertThat(lines.subList(lines.indexOf("Extensions:"), lines.size())).containsExactly(
        "Extensions:", "permit-agent-forwarding", "permit-port-forwarding", "permit-pty");
  }

  @Test
  void sshdLetsInALoginThePolicyGranted() {
    KeyFiles key = KeyFiles.create(dir, "id_olga");
    Path cert = certificateFor(OLGA, key);
    int mark = sshd.logMark();

    Command.Result result = client.run(key, cert, "echo", "olga-in");

    assertLoggedIn(sshd, mark, result);
    assertThat(sshd.logSince(mark)).anyMatch(line -> line.contains("Accepted certificate ID \"olga@corp\""));
  }

  @Test
  void sshdRefusesALoginThatADenyTookOutOfTheCertificate() {
    // oscar's ops role grants root, but his dev role denies it: the certificate must not carry it.
    KeyFiles key = KeyFiles.create(dir, "id_oscar_root");
    Path cert = certificateFor(OSCAR, key);
    int mark = sshd.logMark();

    Command.Result result = client.run(key, cert, "true");

    assertRefused(sshd, mark, result, "Certificate does not contain an authorized principal");
  }
}
