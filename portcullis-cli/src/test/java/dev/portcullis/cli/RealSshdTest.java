package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cli.fixtures.CliRunner.CapturingLauncher;
import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.openssh.TestSshd;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole point, against Debian's real sshd and ssh: after {@code portcullis login}, the printed
 * {@code ssh-config} block alone gets stock ssh in, with strict host key checking and a known_hosts that holds
 * nothing but the host CA; {@code portcullis ssh} does the same as a wrapper.
 */
class RealSshdTest extends WithScriptedServer {

  private TestSshd sshd;

  @BeforeEach
  void startSshd() throws IOException {
    RealOpenSsh.requireOrSkip();
    // The node trusts the server's user CA and holds a host certificate from its host CA (as the node agent sets up).
    sshd = TestSshd.start(dir.resolve("sshd"), server.hostCa(), server.userCa().trustedPublicKeys(), "root");
    Run login = loginAlice(context());
    assertThat(login.exitCode()).as(login::describe).isZero();
  }

  @AfterEach
  void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void stockSshLogsInWithTheSshConfigBlockAndStrictHostKeyChecking() throws IOException {
    Path config = sshConfig();
    int mark = sshd.logMark();

    Command.Result result = ssh(config, List.of(), "echo", "portcullis-ok");

    assertThat(result.exitCode()).as(() -> result.describe() + "\nsshd:\n" + String.join("\n", sshd.logSince(mark)))
        .isZero();
    assertThat(result.stdout()).isEqualTo("portcullis-ok\n");
    assertThat(sshd.awaitLog(mark, "Accepted certificate ID \"alice@local\"", Duration.ofSeconds(5))).isTrue();
    assertThat(sshd.awaitLog(mark, "Accepted publickey for root", Duration.ofSeconds(5))).isTrue();
    // Nothing but the CA line was there to trust the host, and ssh learned no host key on the way.
    assertThat(Files.readAllLines(cliHome().resolve("known_hosts"))).isEqualTo(server.hostCa().knownHostsLines("*"))
        .allMatch(line -> line.startsWith("@cert-authority "));
  }

  @Test
  void stockSshLogsInWhenTheCliDirectoryHasSpacesAndPercentSigns() {
    // ssh_config expands %-tokens in these paths and splits on spaces: both must be escaped right.
    Path odd = dir.resolve("my home %d");
    CliContext.Builder context = context().environment(Map.of("PORTCULLIS_HOME", odd.toString()));
    assertThat(loginAlice(context).exitCode()).isZero();
    Run config = CliRunner.run(new SshConfigCommand(context.build()), "--hosts", "127.0.0.1");
    assertThat(config.out()).contains("\"" + odd.resolve("known_hosts").toString().replace("%", "%%") + "\"");
    int mark = sshd.logMark();

    Command.Result result = ssh(write(config), List.of(), "true");

    assertThat(result.exitCode()).as(() -> result.describe() + "\nsshd:\n" + String.join("\n", sshd.logSince(mark)))
        .isZero();
    assertThat(result.stderr()).doesNotContain("no such identity");
  }

  @Test
  void stockSshRefusesTheHostWhenKnownHostsTrustsAnotherHostCa() throws IOException {
    Path config = sshConfig();
    SshCertificateAuthority otherHostCa = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("other-ca"),
        InstantSource.system(), new SecureRandom());
    Files.write(cliHome().resolve("known_hosts"), otherHostCa.knownHostsLines("*"));

    Command.Result result = ssh(config, List.of(), "true");

    assertThat(result.exitCode()).as(result::describe).isEqualTo(255);
    assertThat(result.stderr()).contains("Host key verification failed");
  }

  @Test
  void stockSshIsRefusedAfterLogoutDeletedTheKey() {
    Path config = sshConfig();
    assertThat(CliRunner.run(new LogoutCommand(context().build())).exitCode()).isZero();

    Command.Result result = ssh(config, List.of(), "true");

    assertThat(result.exitCode()).as(result::describe).isEqualTo(255);
    assertThat(result.stderr()).contains("Permission denied (publickey)");
  }

  @Test
  void theSshWrapperRunsRealSshWithTheCertificateAndPassesTheExitCodeThrough() {
    CapturingLauncher launcher = new CapturingLauncher();
    CliContext context = context().processes(launcher).build();

    Run ok = CliRunner.run(new SshCommand(context), "-o", "BatchMode=yes", "-p", Integer.toString(sshd.port()),
        "root@127.0.0.1", "echo", "via-wrapper");
    Run exit = CliRunner.run(new SshCommand(context), "-o", "BatchMode=yes", "-p", Integer.toString(sshd.port()),
        "root@127.0.0.1", "exit 3");

    assertThat(ok.exitCode()).as(() -> ok.describe() + launcher.results()).isZero();
    assertThat(launcher.results().getFirst().stdout()).isEqualTo("via-wrapper\n");
    assertThat(launcher.results().getFirst().command()).startsWith("ssh")
        .contains("StrictHostKeyChecking=yes", "IdentitiesOnly=yes")
        .endsWith("-o", "BatchMode=yes", "-p", Integer.toString(sshd.port()), "root@127.0.0.1", "echo", "via-wrapper");
    assertThat(exit.exitCode()).isEqualTo(3);
  }

  private Path sshConfig() {
    return write(CliRunner.run(new SshConfigCommand(context().build()), "--hosts", "127.0.0.1"));
  }

  private Path write(Run run) {
    assertThat(run.exitCode()).as(run::describe).isZero();
    try {
      return Files.writeString(dir.resolve("ssh_config"), run.out());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ssh -F CONFIG -p PORT root@127.0.0.1 COMMAND}: nothing but the generated config, no agent, no prompts. */
  private Command.Result ssh(Path config, List<String> options, String... remoteCommand) {
    List<String> command = new ArrayList<>(List.of("ssh", "-F", config.toString()));
    command.addAll(options);
    command.addAll(List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-p", Integer.toString(sshd.port()),
        "root@127.0.0.1"));
    command.addAll(List.of(remoteCommand));
    return Command.run(command, Duration.ofSeconds(30));
  }
}
