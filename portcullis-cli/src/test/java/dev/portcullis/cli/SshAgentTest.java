package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.testing.openssh.TestSshAgent;
import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a real ssh-agent: login loads the key and certificate, status sees them, logout takes them out. */
class SshAgentTest extends WithScriptedServer {

  private TestSshAgent agent;

  @BeforeEach
  void startAgent() throws IOException, InterruptedException {
    RealComponents.requireOrSkip(Files.isExecutable(RealOpenSsh.SSH_AGENT) && Files.isExecutable(Path.of("/usr/bin/ssh-add")),
        "ssh-agent and ssh-add (apt-get install openssh-client)");
    agent = TestSshAgent.start();
  }

  @AfterEach
  void stopAgent() throws IOException {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void loginAddsKeyAndCertificateToTheAgentAndLogoutRemovesThem() throws IOException {
    CliContext.Builder context = context().environment(Map.of("SSH_AUTH_SOCK", agent.socket().toString()));

    Run login = loginAlice(context);

    assertThat(login.exitCode()).as(login::describe).isZero();
    assertThat(login.out()).contains("ssh-agent:    key and certificate added until the certificate expires");
    assertThat(blobs(agent.identities())).containsExactlyInAnyOrder(blob("keys/id_ed25519.pub"),
        blob("keys/id_ed25519-cert.pub"));

    Run status = CliRunner.run(new StatusCommand(context.build()));
    assertThat(status.out()).contains("ssh-agent:    key and certificate loaded");

    Run logout = CliRunner.run(new LogoutCommand(context.build()));

    assertThat(logout.exitCode()).as(logout::describe).isZero();
    assertThat(logout.out()).contains("key removed from ssh-agent");
    assertThat(agent.identities()).isEmpty();
  }

  @Test
  void aNewLoginReplacesTheOldKeyInTheAgent() throws IOException {
    CliContext.Builder context = context().environment(Map.of("SSH_AUTH_SOCK", agent.socket().toString()));
    assertThat(loginAlice(context).exitCode()).isZero();
    List<String> first = blobs(agent.identities());

    assertThat(loginAlice(context).exitCode()).isZero();

    List<String> second = blobs(agent.identities());
    assertThat(second).hasSize(2).containsExactlyInAnyOrder(blob("keys/id_ed25519.pub"), blob("keys/id_ed25519-cert.pub"));
    assertThat(second).doesNotContainAnyElementsOf(first);
  }

  @Test
  void statusSaysWhenTheKeyIsNotInTheAgent() {
    assertThat(loginAlice(context()).exitCode()).isZero(); // logged in without an agent

    Run status = CliRunner.run(new StatusCommand(context().environment(Map.of("SSH_AUTH_SOCK",
        agent.socket().toString())).build()));

    assertThat(status.out()).contains("ssh-agent:    not loaded");
  }

  private String blob(String file) throws IOException {
    return Files.readString(cliHome().resolve(file)).strip().split("\\s+")[1];
  }

  private static List<String> blobs(List<String> identities) {
    return identities.stream().map(line -> line.split("\\s+")[1]).toList();
  }
}
