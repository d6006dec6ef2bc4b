package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.cli.fixtures.CliRunner.CapturingLauncher;
import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code portcullis status}, and what every command says when there is no login or the certificate expired. */
class StatusTest extends WithScriptedServer {

  @Test
  void everyCommandSaysHowToLogInWhenThereIsNoProfile() {
    CliContext context = context().build();

    for (Object command : new Object[] {new StatusCommand(context), new LogoutCommand(context),
        new SshConfigCommand(context), new SshCommand(context)}) {
      Run run = command instanceof SshCommand ? CliRunner.run(command, "root@node1") : CliRunner.run(command);
      assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
      assertThat(run.err()).isEqualTo("portcullis: not logged in: run portcullis login --proxy URL\n");
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void showsUserProxyRolesLoginsAndAValidCertificate() {
    assertThat(loginAlice(context()).exitCode()).isZero();

    Run run = CliRunner.run(new StatusCommand(context().build()));

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(run.out())
        .contains("Proxy:        " + server.url())
        .contains("User:         alice (local)")
        .contains("Roles:        dev, ops")
        .contains("Logins:       root, alice")
        .containsPattern("Certificate:  valid until \\S+ \\(in 59m\\)")
        .contains("key ID alice@local")
        .contains("ssh-agent:    no ssh-agent (SSH_AUTH_SOCK is not set)");
  }

  @Test
  void saysExpiredClearlyOnceTheCertificateHasExpired() {
    server.certificateTtl(Duration.ofMinutes(10));
    assertThat(loginAlice(context()).exitCode()).isZero();
    TestClock later = new TestClock(Instant.now().plus(Duration.ofMinutes(30)));

    Run run = CliRunner.run(new StatusCommand(context().clock(later).build()));

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.out()).containsPattern("Certificate:  EXPIRED at \\S+ \\(\\d+m ago\\) \\(run portcullis login --proxy "
        + server.url());
  }

  @Test
  void sshRefusesToRunWithAnExpiredCertificate() {
    server.certificateTtl(Duration.ofMinutes(10));
    assertThat(loginAlice(context()).exitCode()).isZero();
    CapturingLauncher launcher = new CapturingLauncher();

    Run run = CliRunner.run(new SshCommand(context().clock(new TestClock(Instant.now().plus(Duration.ofHours(1))))
        .processes(launcher).build()), "root@node1", "true");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("your SSH certificate EXPIRED at").contains("run portcullis login --proxy " + server.url());
    assertThat(launcher.results()).isEmpty();
  }

  @Test
  void saysToLogInAgainWhenTheProfileIsDamaged() throws IOException {
    assertThat(loginAlice(context()).exitCode()).isZero();
    Files.writeString(cliHome().resolve("profile.json"), "{\"proxy\": \"https://x\"}");

    Run run = CliRunner.run(new StatusCommand(context().build()));

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("profile.json: field \"insecure\" is missing").contains("run portcullis login");
  }
}
