package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code login} leaves on disk: the files SSH-API.md names, private to the user, readable by OpenSSH. */
class CliFilesTest extends WithScriptedServer {

  @Test
  void keepsEverythingUnderTheCliDirectoryPrivateToTheUser() throws IOException {
    assertThat(loginAlice(context()).exitCode()).isZero();

    Path home = cliHome();
    assertThat(mode(home)).isEqualTo("rwx------");
    assertThat(mode(home.resolve("keys"))).isEqualTo("rwx------");
    for (String file : List.of("profile.json", "known_hosts", "keys/id_ed25519", "keys/id_ed25519.pub",
        "keys/id_ed25519-cert.pub")) {
      assertThat(mode(home.resolve(file))).as(file).isEqualTo("rw-------");
    }
    try (var files = Files.walk(home)) {
      // Nothing else, not even a leftover temporary file.
      assertThat(files.filter(Files::isRegularFile).map(p -> home.relativize(p).toString()).sorted().toList())
          .containsExactly("keys/id_ed25519", "keys/id_ed25519-cert.pub", "keys/id_ed25519.pub", "known_hosts",
              "profile.json");
    }
  }

  @Test
  void tightensAnExistingDirectoryThatOthersCouldRead() throws IOException {
    Files.createDirectories(cliHome().resolve("keys"));
    Files.setPosixFilePermissions(cliHome(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(cliHome().resolve("keys"), PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(loginAlice(context()).exitCode()).isZero();

    assertThat(mode(cliHome())).isEqualTo("rwx------");
    assertThat(mode(cliHome().resolve("keys"))).isEqualTo("rwx------");
  }

  @Test
  void usesPortcullisHomeWhenSet() {
    Path elsewhere = dir.resolve("elsewhere");

    Run run = loginAlice(context().environment(Map.of("PORTCULLIS_HOME", elsewhere.toString())));

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(elsewhere.resolve("keys/id_ed25519-cert.pub")).exists();
    assertThat(cliHome()).doesNotExist();
  }

  @Test
  void storesTheHostCaLinesAndTheCertifiedKeyAsOpenSshReadsThem() throws IOException {
    RealComponents.requireOrSkip(Files.isExecutable(RealOpenSsh.SSH_KEYGEN), "ssh-keygen (apt-get install openssh-client)");
    assertThat(loginAlice(context()).exitCode()).isZero();
    Path keys = cliHome().resolve("keys");

    Command.Result derived = Command.run(List.of("ssh-keygen", "-y", "-f", keys.resolve("id_ed25519").toString()),
        Duration.ofSeconds(10));
    Command.Result certificate = Command.run(List.of("ssh-keygen", "-L", "-f", keys.resolve("id_ed25519-cert.pub")
        .toString()), Duration.ofSeconds(10));

    assertThat(derived.exitCode()).as(derived::describe).isZero();
    String publicKey = Files.readString(keys.resolve("id_ed25519.pub"));
    assertThat(publicKey.strip()).isEqualTo(derived.stdout().strip());
    assertThat(certificate.stdout()).contains("Type: ssh-ed25519-cert-v01@openssh.com user certificate")
        .contains("Key ID: \"alice@local\"").containsPattern("Principals: \\n\\s+root\\n\\s+alice\\n");
    assertThat(server.certifiedKeys()).hasSize(1);
    assertThat(Files.readAllLines(cliHome().resolve("known_hosts"))).isEqualTo(server.hostCa().knownHostsLines("*"));
  }

  @Test
  void aNewLoginMakesANewKeyAndEndsThePreviousSession() throws IOException {
    assertThat(loginAlice(context()).exitCode()).isZero();
    String firstToken = profile().get("token").asText();
    String firstKey = Files.readString(cliHome().resolve("keys/id_ed25519.pub"));

    assertThat(loginAlice(context()).exitCode()).isZero();

    assertThat(Files.readString(cliHome().resolve("keys/id_ed25519.pub"))).isNotEqualTo(firstKey);
    assertThat(profile().get("token").asText()).isNotEqualTo(firstToken);
    assertThat(server.endedTokens()).containsExactly(firstToken);
    assertThat(server.certifiedKeys()).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void refusesAndStoresNothingWhenTheServerSendsSomethingOtherThanCertAuthorityLines() {
    // A plain known_hosts entry would pin one key for every host instead of trusting the CA's certificates.
    server.hostCaKnownHosts(() -> List.of("* " + server.hostCa().activeKey().publicKeyLine()));

    Run run = loginAlice(context());

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("host CA line is not \"@cert-authority PATTERNS KEY\"");
    assertThat(cliHome().resolve("known_hosts")).doesNotExist();
    assertThat(cliHome().resolve("profile.json")).doesNotExist();
  }

  @Test
  void logoutEndsTheSessionAndDeletesKeyCertificateAndProfile() throws IOException {
    assertThat(loginAlice(context()).exitCode()).isZero();
    String token = profile().get("token").asText();

    Run run = CliRunner.run(new LogoutCommand(context().build()));

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(run.out()).contains("Logged out alice from " + server.url() + ": session ended on the server");
    assertThat(server.endedTokens()).containsExactly(token);
    assertThat(server.sessionActive(token)).isFalse();
    try (var files = Files.walk(cliHome())) {
      // Only the host CA's public keys stay.
      assertThat(files.filter(Files::isRegularFile).toList()).containsExactly(cliHome().resolve("known_hosts"));
    }
  }

  @Test
  void logoutStillDeletesTheLocalFilesWhenTheServerIsGoneAndSaysSo() throws IOException {
    assertThat(loginAlice(context()).exitCode()).isZero();
    server.close();

    Run run = CliRunner.run(new LogoutCommand(context().build()));

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("the local key and certificate are deleted, but the server session may still be valid")
        .contains("cannot connect to " + server.url() + "/.portcullis/api/v1/logout");
    assertThat(cliHome().resolve("keys/id_ed25519")).doesNotExist();
    assertThat(cliHome().resolve("profile.json")).doesNotExist();
  }

  private JsonNode profile() throws IOException {
    return new ObjectMapper().readTree(Files.readString(cliHome().resolve("profile.json")));
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
