package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.cli.internal.SshConfigBlock;
import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code portcullis ssh-config}: the block it prints, read back by the real ssh ({@code ssh -G} prints the
 * settings ssh would use for a host without connecting).
 */
class SshConfigTest extends WithScriptedServer {

  @BeforeEach
  void login() {
    Run login = loginAlice(context());
    assertThat(login.exitCode()).as(login::describe).isZero();
  }

  @Test
  void printsABlockScopedToTheGivenHosts() {
    Run run = CliRunner.run(new SshConfigCommand(context().build()), "--hosts", "*.example.com, 10.0.0.*");

    assertThat(run.exitCode()).as(run::describe).isZero();
    List<String> settings = run.out().lines().filter(line -> !line.startsWith("#")).toList();
    assertThat(settings).containsExactly(
        "Host *.example.com 10.0.0.*",
        "    IdentityFile " + cliHome().resolve("keys/id_ed25519"),
        "    CertificateFile " + cliHome().resolve("keys/id_ed25519-cert.pub"),
        "    IdentitiesOnly yes",
        "    UserKnownHostsFile " + cliHome().resolve("known_hosts"),
        "    StrictHostKeyChecking yes");
    assertThat(run.out()).doesNotContain("EVERY host");
  }

  @Test
  void sshAppliesItToMatchingHostsOnly() throws IOException {
    requireSsh();
    Path config = writeConfig(CliRunner.run(new SshConfigCommand(context().build()), "--hosts", "*.example.com"));

    Map<String, String> matching = effective(config, "web-1.example.com");
    Map<String, String> other = effective(config, "github.com");

    assertThat(matching).containsEntry("identityfile", cliHome().resolve("keys/id_ed25519").toString())
        .containsEntry("certificatefile", cliHome().resolve("keys/id_ed25519-cert.pub").toString())
        .containsEntry("identitiesonly", "yes")
        .containsEntry("userknownhostsfile", cliHome().resolve("known_hosts").toString())
        .containsEntry("stricthostkeychecking", "true");
    assertThat(other.get("identityfile")).doesNotContain(".portcullis");
    assertThat(other).doesNotContainKey("certificatefile");
    assertThat(other.get("userknownhostsfile")).doesNotContain(".portcullis");
  }

  @Test
  void defaultsToEveryHostAndSaysSoInAComment() {
    Run run = CliRunner.run(new SshConfigCommand(context().build()));

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(run.out()).contains("# Applies to EVERY host (Host *) because no --hosts was given").contains("\nHost *\n");
    assertThat(run.err()).contains("no --hosts given");
  }

  @Test
  void writesOnlyTheHostCaIntoKnownHosts() throws IOException {
    server.hostCa().rotate();

    Run run = CliRunner.run(new SshConfigCommand(context().build()), "--hosts", "*.example.com");

    assertThat(run.exitCode()).as(run::describe).isZero();
    // Refreshed from the server: both keys of the rotation, and nothing but @cert-authority lines.
    assertThat(Files.readAllLines(cliHome().resolve("known_hosts"))).hasSize(2)
        .isEqualTo(server.hostCa().knownHostsLines("*")).allMatch(line -> line.startsWith("@cert-authority * ssh-ed25519 "));
  }

  @Test
  void keepsTheKnownHostsFromLoginWhenTheServerIsUnreachable() throws IOException {
    List<String> fromLogin = Files.readAllLines(cliHome().resolve("known_hosts"));
    server.close();

    Run run = CliRunner.run(new SshConfigCommand(context().build()), "--hosts", "*.example.com");

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(run.err()).contains("could not refresh the host CA").contains("using the copy from your login");
    assertThat(Files.readAllLines(cliHome().resolve("known_hosts"))).isEqualTo(fromLogin);
  }

  @Test
  void refusesHostPatternsThatCouldInjectConfig() {
    for (String hosts : List.of("*.example.com\n    ProxyCommand evil", "a\"b", "!only.excluded", "x;y")) {
      Run run = CliRunner.run(new SshConfigCommand(context().build()), "--hosts", hosts);
      assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void goesThroughTheJumpHostWithoutJumpingToItself() throws IOException {
    requireSsh();
    Run run = CliRunner.run(new SshConfigCommand(context().build()), "--hosts", "*.example.com",
        "--proxy-jump", "root@bastion.example.com:2222");
    Path config = writeConfig(run);

    Map<String, String> target = effective(config, "web-1.example.com");
    Map<String, String> jump = effective(config, "bastion.example.com");

    assertThat(target).containsEntry("proxyjump", "root@bastion.example.com:2222")
        .containsEntry("certificatefile", cliHome().resolve("keys/id_ed25519-cert.pub").toString());
    assertThat(jump).doesNotContainKey("proxyjump")
        .containsEntry("certificatefile", cliHome().resolve("keys/id_ed25519-cert.pub").toString())
        .containsEntry("stricthostkeychecking", "true");
  }

  @Test
  void namesTheOneHopFormOfABastionWithTheNodeInTheUserName() {
    assertThat(SshConfigBlock.oneHop("bastion.example.com:3022")).isEqualTo("-p 3022 LOGIN@NODE@bastion.example.com");
    assertThat(SshConfigBlock.oneHop("bastion.example.com")).isEqualTo("LOGIN@NODE@bastion.example.com");
    assertThat(SshConfigBlock.oneHop("jump@10.0.0.1:22")).isEqualTo("LOGIN@NODE@10.0.0.1");
    assertThat(SshConfigBlock.oneHop("[2001:db8::1]:3022")).isEqualTo("-p 3022 LOGIN@NODE@2001:db8::1");
  }

  @Test
  void refusesAJumpHostThatIsNotUserHostPort() {
    Run run = CliRunner.run(new SshConfigCommand(context().build()), "--proxy-jump", "bastion -oProxyCommand=evil");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
    assertThat(run.err()).contains("--proxy-jump:");
  }

  @Test
  void theSshWrapperGivesSshTheSameSettings() {
    requireSsh();
    CliRunner.CapturingLauncher launcher = new CliRunner.CapturingLauncher();

    Run run = CliRunner.run(new SshCommand(context().processes(launcher).build()), "-G", "root@web-1.example.com");

    assertThat(run.exitCode()).as(() -> run.describe() + launcher.results()).isZero();
    Map<String, String> effective = parse(launcher.results().getFirst().stdout());
    assertThat(effective).containsEntry("user", "root")
        .containsEntry("identityfile", cliHome().resolve("keys/id_ed25519").toString())
        .containsEntry("certificatefile", cliHome().resolve("keys/id_ed25519-cert.pub").toString())
        .containsEntry("identitiesonly", "yes")
        .containsEntry("userknownhostsfile", cliHome().resolve("known_hosts").toString())
        .containsEntry("stricthostkeychecking", "true");
  }

  private Path writeConfig(Run run) throws IOException {
    assertThat(run.exitCode()).as(run::describe).isZero();
    return Files.writeString(dir.resolve("ssh_config"), run.out());
  }

  /** {@code ssh -G}: the settings ssh would use for {@code host}, lowercase keyword to value. */
  private static Map<String, String> effective(Path config, String host) {
    Command.Result result = Command.run(List.of("ssh", "-G", "-F", config.toString(), host), Duration.ofSeconds(10));
    assertThat(result.exitCode()).as(result::describe).isZero();
    return parse(result.stdout());
  }

  private static Map<String, String> parse(String sshG) {
    return sshG.lines().map(line -> line.split(" ", 2)).filter(parts -> parts.length == 2)
        .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1], (first, more) -> first + "\n" + more));
  }

  private static void requireSsh() {
    RealComponents.requireOrSkip(Files.isExecutable(RealOpenSsh.SSH), "the OpenSSH client (apt-get install openssh-client)");
  }
}
