package dev.portcullis.ssh.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.testing.TestClock;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What real OpenSSH reads in our certificates: {@code ssh-keygen -L} prints every field as requested. */
class SshKeygenInspectionTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  /** Negative as a Java long: OpenSSH must print it unsigned. */
  private static final long SERIAL = 0xFEDC_BA98_7654_3210L;

  @TempDir
  Path dir;

  @BeforeAll
  static void requireOpenSsh() {
    RealOpenSsh.requireOrSkip();
  }

  @Test
  void userCertificateShowsKeyIdPrincipalsValidityOptionsAndExtensions() throws IOException {
    SshCertificateAuthority ca = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"),
        new TestClock(NOW), new ScriptedRandom(List.of(SERIAL)));
    KeyFiles alice = KeyFiles.create(dir, "id_alice");
    UserCertificateRequest request = UserCertificateRequest.of(alice.publicKeyLine(), "alice@local (session 1f2e)",
            List.of("alice", "root"), Duration.ofHours(8))
        .withExtensions(Set.of(UserExtension.X11_FORWARDING, UserExtension.PORT_FORWARDING))
        .withSourceAddresses(List.of("127.0.0.1/32", "10.0.0.0/8"));

    Path cert = alice.writeCertificate(ca.issueUser(request));

    assertThat(inspect(cert)).isEqualTo(String.join("\n",
        cert + ":",
        "Type: ssh-ed25519-cert-v01@openssh.com user certificate",
        "Public key: ED25519-CERT " + SshPublicKeys.fingerprint(alice.keyPair().getPublic()),
        "Signing CA: ED25519 " + ca.activeKey().fingerprint() + " (using ssh-ed25519)",
        "Key ID: \"alice@local (session 1f2e)\"",
        "Serial: 18364758544493064720",
        "Valid: from 2029-12-31T23:59:00 to 2030-01-01T08:00:00",
        "Principals:",
        "alice",
        "root",
        "Critical Options:",
        "source-address 127.0.0.1/32,10.0.0.0/8",
        // OpenSSH requires lexical order; 'X' sorts before 'p'.
        "Extensions:",
        "permit-X11-forwarding",
        "permit-port-forwarding",
        "permit-pty"));
  }

  @Test
  void userCertificateWithoutExtrasGrantsOnlyAPty() throws IOException {
    SshCertificateAuthority ca = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"),
        new TestClock(NOW), new ScriptedRandom(List.of()));
    KeyFiles alice = KeyFiles.create(dir, "id_alice");

    Path cert = alice.writeCertificate(ca.issueUser(
        UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("alice"), Duration.ofMinutes(30))));

    assertThat(inspect(cert)).contains(
        "Valid: from 2029-12-31T23:59:00 to 2030-01-01T00:30:00",
        "Critical Options: (none)",
        "Extensions:\npermit-pty");
    assertThat(inspect(cert).lines().dropWhile(line -> !line.equals("Extensions:")).toList())
        .containsExactly("Extensions:", "permit-pty");
  }

  @Test
  void hostCertificateShowsHostNamesAndNoOptions() throws IOException {
    SshCertificateAuthority ca = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("ca"),
        new TestClock(NOW), new ScriptedRandom(List.of(42L)));
    KeyFiles host = KeyFiles.create(dir, "ssh_host_ed25519_key");

    Path cert = host.writeCertificate(ca.issueHost(HostCertificateRequest.of(host.publicKeyLine(), "node web-1",
        List.of("web-1.example.com", "10.0.0.5"), Duration.ofDays(30))));

    assertThat(inspect(cert)).isEqualTo(String.join("\n",
        cert + ":",
        "Type: ssh-ed25519-cert-v01@openssh.com host certificate",
        "Public key: ED25519-CERT " + SshPublicKeys.fingerprint(host.keyPair().getPublic()),
        "Signing CA: ED25519 " + ca.activeKey().fingerprint() + " (using ssh-ed25519)",
        "Key ID: \"node web-1\"",
        "Serial: 42",
        "Valid: from 2029-12-31T23:59:00 to 2030-01-31T00:00:00",
        "Principals:",
        "web-1.example.com",
        "10.0.0.5",
        "Critical Options: (none)",
        "Extensions: (none)"));
  }

  /** {@code ssh-keygen -L} in UTC, each line stripped of its indentation. */
  private static String inspect(Path cert) {
    Command.Result result = Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-L", "-f", cert.toString()),
        Map.of("TZ", "UTC"), Duration.ofSeconds(10));
    assertThat(result.exitCode()).as(result::describe).isZero();
    return String.join("\n", result.stdout().lines().map(String::strip).toList());
  }
}
