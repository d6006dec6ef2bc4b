package dev.portcullis.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code portcullis node principals LOGIN KEY_ID} against the scripted server: it prints what the server
 * allows, and on anything else prints nothing and exits 1, quickly. Runs in-process, without root.
 */
class PrincipalsCommandTest {

  private static final String ALICE = "alice@local";

  static SshCertificateAuthority userCa;
  static SshCertificateAuthority hostCa;
  static ScriptedPortcullis server;
  @TempDir static Path caDir;
  @TempDir Path stateDir;
  String credential;

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err, Duration took) {}

  @BeforeAll
  static void startServer() throws IOException {
    SecureRandom random = new SecureRandom();
    userCa = SshCertificateAuthority.open(SshCaType.USER, caDir, InstantSource.system(), random);
    hostCa = SshCertificateAuthority.open(SshCaType.HOST, caDir, InstantSource.system(), random);
    server = ScriptedPortcullis.start(userCa, hostCa);
  }

  @BeforeEach
  void enrollNode() throws IOException {
    credential = server.enroll(new ScriptedPortcullis.Node("web-1", Map.of("env", "dev"), "127.0.0.1:22",
        "ssh-ed25519 AAAA"));
    writeState(server.url().toString(), credential);
    server.grant(ALICE, "alice");
  }

  @AfterEach
  void resetServer() {
    server.mode(ScriptedPortcullis.Mode.NORMAL);
    server.principalsBody(null);
    server.unlock(ALICE);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void printsThePrincipalsTheServerAllowsForTheLoginAndKeyId() {
    Run run = principals("alice", ALICE);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("alice\n");
    assertThat(server.principalsQueries()).last().isEqualTo(
        new ScriptedPortcullis.PrincipalsQuery("alice", ALICE, "Bearer " + credential));
  }

  @Test
  void printsNothingWhenTheServerAllowsNothingForALockedUser() {
    server.lock(ALICE);

    Run run = principals("alice", ALICE);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
  }

  @Test
  void passesTheKeyIdAndLoginVerbatimWhateverCharactersTheyHold() {
    String keyId = "alice@local (session 1) &login=root%0a#";

    principals("-h", keyId);

    assertThat(server.principalsQueries()).last().satisfies(query -> {
      assertThat(query.login()).isEqualTo("-h");
      assertThat(query.keyId()).isEqualTo(keyId);
    });
  }

  @Test
  void treatsValuesThatLookLikeOptionsOrArgumentFilesAsPlainValuesEvenInTheFullCommandLine() {
    // The full portcullis command line expands @files; the values sshd fills in are never arguments of their own.
    CommandLine full = new CommandLine(new NodeCommand());
    StringWriter out = new StringWriter();
    full.setOut(new PrintWriter(out));
    full.setErr(new PrintWriter(new StringWriter()));
    String atFile = "@" + stateDir.resolve("node.json");

    full.execute("principals", "--state-dir=" + stateDir, "--login=--help", "--key-id=" + atFile);
    Run dash = principals("-h", "-V");

    assertThat(out.toString()).isEmpty();
    assertThat(dash.out()).isEmpty();
    assertThat(server.principalsQueries()).extracting(ScriptedPortcullis.PrincipalsQuery::keyId)
        .contains(atFile, "-V");
    assertThat(server.principalsQueries()).extracting(ScriptedPortcullis.PrincipalsQuery::login)
        .contains("--help", "-h");
  }

  @Test
  void takesLoginAndKeyIdAsArgumentsWhenRunByHand() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = NodeCommand.standalone();
    commandLine.setOut(new PrintWriter(out));

    int exitCode = commandLine.execute("node", "principals", "--state-dir", stateDir.toString(), "alice", ALICE);

    assertThat(exitCode).isZero();
    assertThat(out.toString()).isEqualTo("alice\n");
  }

  @Test
  void printsNothingAndFailsWhenTheServerDoesNotKnowTheCredential() throws IOException {
    writeState(server.url().toString(), "not-the-node-credential-at-all");

    Run run = principals("alice", ALICE);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("HTTP 401 invalid-credential").doesNotContain("not-the-node-credential");
  }

  @Test
  void printsNothingAndFailsOnAServerError() {
    server.mode(ScriptedPortcullis.Mode.FAIL);

    Run run = principals("alice", ALICE);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("HTTP 500");
  }

  @Test
  void printsNothingAndFailsQuicklyWhenNothingListens() throws IOException {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    writeState("http://127.0.0.1:" + closedPort, credential);

    Run run = principals("alice", ALICE);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.took()).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void printsNothingAndFailsWithinTheDeadlineWhenTheServerNeverAnswers() {
    server.mode(ScriptedPortcullis.Mode.HANG);

    Run run = principals("alice", ALICE);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.took()).isBetween(NodePrincipals.TIMEOUT.minusMillis(100), NodePrincipals.TIMEOUT.plusSeconds(1));
    assertThat(run.err()).contains("within 3000 ms");
  }

  @Test
  void refusesTheWholeAnswerWhenALineIsNotAPlainPrincipal() {
    for (String body : List.of("command=\"/bin/sh\" alice\n", "alice\nroot,admin\n", "alice extra\n", "#alice\n",
        "alice\n\u0000\n")) {
      server.principalsBody(body);

      Run run = principals("alice", ALICE);

      assertThat(run.exitCode()).as(body).isEqualTo(1);
      assertThat(run.out()).as(body).isEmpty();
    }
  }

  @Test
  void printsEachPrincipalOnceWithoutBlankLines() {
    server.principalsBody("alice\r\n\nalice\nalice-admin\n");

    assertThat(principals("alice", ALICE).out()).isEqualTo("alice\nalice-admin\n");
  }

  @Test
  void printsNothingAndFailsBeforeJoin() throws IOException {
    Files.delete(stateDir.resolve("node.json"));

    Run run = principals("alice", ALICE);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("has not joined Portcullis yet");
  }

  @Test
  void recognisesOnlyTheExactLineJoinWritesForTheQuickPath() {
    assertThat(NodeCommand.Principals.Call.parse(
        new String[] {"node", "principals", "--login=alice", "--key-id=" + ALICE}))
        .hasValue(new NodeCommand.Principals.Call(AgentPaths.DEFAULT_STATE_DIR, "alice", ALICE));
    assertThat(NodeCommand.Principals.Call.parse(
        new String[] {"node", "principals", "--state-dir=/srv/p", "--login=-h", "--key-id=@x --state-dir=/"}))
        .hasValue(new NodeCommand.Principals.Call(Path.of("/srv/p"), "-h", "@x --state-dir=/"));
    assertThat(NodeCommand.Principals.Call.parse(new String[] {"node", "principals", "alice", ALICE})).isEmpty();
    assertThat(NodeCommand.Principals.Call.parse(
        new String[] {"node", "principals", "--state-dir=relative", "--login=alice", "--key-id=" + ALICE})).isEmpty();
    assertThat(NodeCommand.Principals.Call.parse(
        new String[] {"node", "principals", "--key-id=" + ALICE, "--login=alice"})).isEmpty();
    assertThat(NodeCommand.Principals.Call.parse(new String[] {"node", "run"})).isEqualTo(Optional.empty());
  }

  /** Runs the command with the arguments sshd passes, through the parser (which the quick path bypasses). */
  private Run principals(String login, String keyId) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = NodeCommand.standalone();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    long started = System.nanoTime();
    int exitCode = commandLine.execute("node", "principals", "--state-dir=" + stateDir, "--login=" + login,
        "--key-id=" + keyId);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new Run(exitCode, out.toString(), err.toString(), took);
  }

  private void writeState(String url, String nodeCredential) throws IOException {
    AgentPaths paths = AgentPaths.of(stateDir, Path.of("/etc/ssh/sshd_config"), Path.of("/etc/ssh/sshd_config.d"),
        AgentPaths.DEFAULT_HOST_PUBLIC_KEY, AgentPaths.DEFAULT_USER_CA_KEYS);
    Files.write(stateDir.resolve("node.json"), new NodeState(java.net.URI.create(url), "web-1", nodeCredential,
        Map.of("env", "dev"), "127.0.0.1:22", Optional.empty(), paths).toJson());
  }
}
