package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.cli.fixtures.CliRunner.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code portcullis login --user}: the local sign-in with password and TOTP, and what the server says back. */
class LocalLoginTest extends WithScriptedServer {

  private static final String API = "/.portcullis/api/v1/";

  @Test
  void logsInWithThePasswordFromStdinAndPrintsWhoAndWhatAndUntilWhen() throws IOException {
    Run run = loginAlice(context());

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(run.out())
        .contains("Signed in to " + server.url() + " as alice (local)")
        .contains("Roles:        dev, ops")
        .contains("Logins:       root, alice")
        .containsPattern("Certificate:  valid until \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z \\(in 59m\\), key ID alice@local");
    assertThat(server.requests()).containsExactly(
        "POST " + API + "login/local", "POST " + API + "ssh/certificates", "GET " + API + "ca");
    JsonNode profile = new ObjectMapper().readTree(Files.readString(cliHome().resolve("profile.json")));
    assertThat(profile.get("user").asText()).isEqualTo("alice");
    assertThat(profile.get("proxy").asText()).isEqualTo(server.url().toString());
    assertThat(server.sessionActive(profile.get("token").asText())).isTrue();
    assertThat(profile.get("insecure").asBoolean()).isFalse();
    assertThat(run.out() + run.err()).doesNotContain(profile.get("token").asText()).doesNotContain(ALICE_PASSWORD);
  }

  @Test
  void showsTheServersMessageWhenThePasswordIsWrong() {
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("wrong\n")).build()),
        "--proxy", server.url().toString(), "--user", "alice", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("wrong username or password").contains("bad-credentials").contains("HTTP 401");
    assertThat(cliHome().resolve("profile.json")).doesNotExist();
  }

  @Test
  void asksForTheTotpCodeOnTheTerminalWhenTheServerRequiresOne() {
    List<String> prompts = new ArrayList<>();
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("bob-password\n"))
            .terminal(new ScriptedTerminal(prompts, "654321")).build()),
        "--proxy", server.url().toString(), "--user", "bob", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(prompts).containsExactly("line:TOTP code for bob: ");
    assertThat(run.out()).contains("as bob (local)");
  }

  @Test
  void takesTheTotpCodeFromTheOption() {
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("bob-password\n")).build()),
        "--proxy", server.url().toString(), "--user", "bob", "--password-stdin", "--totp", "654321");

    assertThat(run.exitCode()).as(run::describe).isZero();
  }

  @Test
  void saysToPassTotpWhenTheServerWantsOneAndNoTerminalCanAsk() {
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("bob-password\n")).build()),
        "--proxy", server.url().toString(), "--user", "bob", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
    assertThat(run.err()).contains("the server asks for a TOTP code for bob: pass --totp CODE");
  }

  @Test
  void showsTheServersMessageForAWrongTotpCode() {
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("bob-password\n")).build()),
        "--proxy", server.url().toString(), "--user", "bob", "--password-stdin", "--totp", "111111");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("the code is wrong or expired").contains("totp-invalid");
  }

  @Test
  void asksForThePasswordWithoutEchoOnAnInteractiveTerminal() {
    List<String> prompts = new ArrayList<>();
    Run run = CliRunner.run(new LoginCommand(context().terminal(new ScriptedTerminal(prompts, ALICE_PASSWORD)).build()),
        "--proxy", server.url().toString(), "--user", "alice");

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(prompts).containsExactly("secret:Password for alice: ");
  }

  @Test
  void refusesToGuessThePasswordWithoutStdinOrTerminal() {
    Run run = CliRunner.run(new LoginCommand(context().build()), "--proxy", server.url().toString(), "--user", "alice");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
    assertThat(run.err()).contains("no terminal to ask for the password of alice: pass --password-stdin");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void hasNoWayToPassThePasswordAsAnArgument() {
    Run run = CliRunner.run(new LoginCommand(context().build()),
        "--proxy", server.url().toString(), "--user", "alice", "--password", ALICE_PASSWORD);

    assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option").contains("'--password'");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void refusesAnEmptyStdinPassword() {
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("\n")).build()),
        "--proxy", server.url().toString(), "--user", "alice", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
    assertThat(run.err()).contains("--password-stdin: stdin is empty");
  }

  @Test
  void endsTheNewSessionAndStoresNothingWhenTheServerRefusesACertificate() {
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("carol-password\n")).build()),
        "--proxy", server.url().toString(), "--user", "carol", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("signed in as carol, but could not set up SSH access")
        .contains("no role of carol grants an SSH login").contains("no-logins").contains("HTTP 403");
    assertThat(server.endedTokens()).hasSize(1);
    assertThat(server.activeTokens()).isEmpty();
    assertThat(cliHome().resolve("profile.json")).doesNotExist();
    assertThat(cliHome().resolve("keys/id_ed25519")).doesNotExist();
  }

  @Test
  void refusesAProxyUrlThatIsNotHttps() {
    Run run = CliRunner.run(new LoginCommand(context().build()),
        "--proxy", "http://127.0.0.1:" + server.url().getPort(), "--user", "alice", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
    assertThat(run.err()).contains("--proxy: http://127.0.0.1:" + server.url().getPort() + " does not use https");
  }

  @Test
  void refusesBrowserOnlyAndLocalOnlyOptionsTogether() {
    Run run = CliRunner.run(new LoginCommand(context().build()), "--proxy", server.url().toString(), "--totp", "1");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(2);
    assertThat(run.err()).contains("need --user");
  }

  @Test
  void namesTheUrlWhenTheServerCannotBeReached() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("x\n")).build()),
        "--proxy", "https://127.0.0.1:" + closedPort, "--user", "alice", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("cannot connect to https://127.0.0.1:" + closedPort
        + "/.portcullis/api/v1/login/local (connection refused or network unreachable)");
  }

  @Test
  void namesTheHostWhenItDoesNotResolve() {
    Run run = CliRunner.run(new LoginCommand(context().stdin(CliRunner.stdin("x\n")).build()),
        "--proxy", "https://portcullis.invalid:8443", "--user", "alice", "--password-stdin");

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("cannot connect to https://portcullis.invalid:8443/.portcullis/api/v1/login/local:"
        + " unknown host portcullis.invalid");
  }

  /** A terminal with a person who answers every prompt with the next scripted answer. */
  record ScriptedTerminal(List<String> prompts, String... answers) implements Terminal {
    @Override
    public boolean interactive() {
      return true;
    }

    @Override
    public char[] readSecret(String prompt) {
      prompts.add("secret:" + prompt);
      return answers[prompts.size() - 1].toCharArray();
    }

    @Override
    public String readLine(String prompt) {
      prompts.add("line:" + prompt);
      return answers[prompts.size() - 1];
    }
  }
}
