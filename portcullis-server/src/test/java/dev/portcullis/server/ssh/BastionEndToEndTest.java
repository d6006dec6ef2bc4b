package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.StoredAuditEvent;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import dev.portcullis.testing.openssh.TestSshAgent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bastion with everything real: a server with {@code ssh.bastion}, node web-1 enrolled by the agent into a
 * real sshd, users signed in with the real CLI, and the real ssh client jumping through the bastion with the
 * config {@code portcullis ssh-config} printed. The bastion terminates each session and logs in to web-1 with a
 * certificate of its own; sshd still asks the server (principals command) whether the user may use the login.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BastionEndToEndTest {

  private static final Duration SSH_TIMEOUT = Duration.ofSeconds(30);
  private static final String CONFIG = SshFixture.SERVER + """
      ssh:
        bastion:
          listen: 127.0.0.1:{BASTION}
      identity_providers:
        - name: local
          type: local
          users:
            - username: alice
              email: alice@example.com
              groups: [team-a]
              password_hash: "{HASH}"
            - username: bob
              email: bob@example.com
              groups: [team-b]
              password_hash: "{HASH}"
      roles:
        - name: a
          allow:
            node_labels: {env: [dev]}
            logins: [{ALICE_LOGIN}]
          options:
            max_session_ttl: 2h
        - name: b
          allow:
            node_labels: {env: [dev]}
            logins: [{BOB_LOGIN}]
          options:
            port_forwarding: true
            agent_forwarding: true
      role_mappings:
        - groups: [team-a]
          roles: [a]
        - groups: [team-b]
          roles: [b]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;

  private SshFixture fixture;
  private CliUser alice;
  private CliUser bob;
  private String aliceLogin;
  private String bobLogin;
  private int bastionPort;

  @BeforeAll
  void startServerWithBastionAndSignIn() throws Exception {
    RealHost.require();
    aliceLogin = RealHost.throwawayName("pcba");
    bobLogin = RealHost.throwawayName("pcbb");
    bastionPort = SshProcesses.freePort();
    fixture = SshFixture.start(CONFIG.replace("{BASTION}", Integer.toString(bastionPort))
        .replace("{ALICE_LOGIN}", aliceLogin).replace("{BOB_LOGIN}", bobLogin));
    alice = fixture.user("alice");
    bob = fixture.user("bob");
    assertThat(fixture.passwordLogin(alice, "alice").exitCode()).isZero();
    assertThat(fixture.passwordLogin(bob, "bob").exitCode()).isZero();
    assertThat(fixture.web1.heartbeat().accounts().orElseThrow().created()).contains(aliceLogin, bobLogin);
  }

  /**
   * The server's clock is a test clock, frozen unless moved; the real sshd and ssh judge certificates by the real
   * time, and the bastion's certificates for the node live two minutes. Each test starts at the real time.
   */
  @org.junit.jupiter.api.BeforeEach
  void serverClockFollowsRealTime() {
    fixture.server.clock.set(java.time.Instant.now());
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void anInteractiveSessionIsRecordedAndItsReplayEqualsWhatTheClientSaw() throws Exception {
    java.util.Set<String> before = sessionIds(aliceLogin);
    Process ssh = start(alice.bastionSshCommand(List.of("-tt"), aliceLogin, "web-1"));
    CompletableFuture<byte[]> seen = SshProcesses.readAll(ssh.getInputStream());
    CompletableFuture<byte[]> errors = SshProcesses.readAll(ssh.getErrorStream());
    OutputStream keyboard = ssh.getOutputStream();
    keyboard.write("echo recorded-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
    Thread.sleep(500);
    keyboard.write("exit\n".getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
    assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String client = new String(seen.get(), StandardCharsets.UTF_8);
    assertThat(ssh.exitValue()).as(() -> client + new String(errors.join(), StandardCharsets.UTF_8)).isZero();
    assertThat(client).contains("recorded-42");

    String id = newSessionId(aliceLogin, before);
    CliUser.Run play = fixture.admin("play", id, "--speed", "1000");
    assertThat(play.exitCode()).as(play::describe).isZero();
    assertThat(play.out()).isEqualTo(client);
    StoredAuditEvent end = lastEvent("session.end", id);
    assertThat(end.event().details()).containsEntry("recorded", "true").containsEntry("login", aliceLogin)
        .containsEntry("node", "web-1");
    assertThat(lastEvent("session.start", id).event().user()).isEqualTo("alice");
  }

  @Test
  void execAndBothKindsOfScpAreAuditedWithTheCommandAndPaths() throws Exception {
    java.util.Set<String> before = sessionIds(aliceLogin);
    Command.Result exec = alice.bastionSsh(List.of(), aliceLogin, "web-1", "echo", "exec-$((2+3))");
    assertThat(exec.exitCode()).as(() -> exec.describe() + "\n" + fixture.web1.logSince(0)).isZero();
    assertThat(exec.stdout().strip()).isEqualTo("exec-5");
    String execId = newSessionId(aliceLogin, before);
    assertThat(lastEvent("exec", execId).event().details()).containsEntry("command", "echo exec-$((2+3))");

    Path file = Files.writeString(fixture.dir.resolve("upload.txt"), "through the bastion\n");
    List<String> sftpScp = scp(alice, List.of(), file, aliceLogin + "@web-1:uploaded-sftp.txt");
    Command.Result modern = Command.run(sftpScp, SSH_TIMEOUT);
    assertThat(modern.exitCode()).as(modern::describe).isZero();
    assertThat(fixture.audit("sftp")).anySatisfy(event -> assertThat(event.event().details())
        .containsEntry("action", "open").containsEntry("path", "uploaded-sftp.txt")
        .hasEntrySatisfying("mode", mode -> assertThat(mode).contains("write")));

    Command.Result legacy = Command.run(scp(alice, List.of("-O"), file, aliceLogin + "@web-1:uploaded-legacy.txt"),
        SSH_TIMEOUT);
    assertThat(legacy.exitCode()).as(legacy::describe).isZero();
    assertThat(fixture.audit("scp")).anySatisfy(event -> assertThat(event.event().details())
        .containsEntry("direction", "upload").containsEntry("path", "uploaded-legacy.txt"));

    Command.Result check = alice.bastionSsh(List.of(), aliceLogin, "web-1", "cat", "uploaded-sftp.txt",
        "uploaded-legacy.txt");
    assertThat(check.stdout()).isEqualTo("through the bastion\nthrough the bastion\n");
  }

  /** sshd runs every session of one connection under that connection's process: the shell's parent tells which. */
  @Test
  void theNextJumpOfTheSameUserReusesTheLoginToTheNode() throws Exception {
    Command.Result first = alice.bastionSsh(List.of(), aliceLogin, "web-1", "echo", "$PPID");
    Command.Result second = alice.bastionSsh(List.of(), aliceLogin, "web-1", "echo", "$PPID");

    assertThat(first.exitCode()).as(first::describe).isZero();
    assertThat(second.exitCode()).as(second::describe).isZero();
    assertThat(second.stdout().strip()).isNotEmpty().isEqualTo(first.stdout().strip());
  }

  /**
   * The bastion's inner server, which terminates sessions, runs on the jump channels in process: no port of this
   * JVM but the bastion's own listener answers as an SSH server, so no local process can talk to the inner server
   * and skip the jump's checks. Checked while a session through the bastion is live.
   */
  @Test
  void noPortButTheBastionsListenerSpeaksSshWhileASessionIsLive() throws Exception {
    Process ssh = start(alice.bastionSshCommand(List.of("-tt"), aliceLogin, "web-1"));
    CompletableFuture<byte[]> seen = SshProcesses.readAll(ssh.getInputStream());
    SshProcesses.readAll(ssh.getErrorStream());
    try {
      awaitLive(aliceLogin);
      List<Integer> listening = ListeningPorts.ofThisProcess();
      assertThat(listening).contains(bastionPort);
      for (int port : listening) {
        if (port != bastionPort) {
          assertThat(ListeningPorts.greeting(port)).as("what port " + port + " of this JVM says first")
              .doesNotStartWith("SSH-");
        }
      }
    } finally {
      ssh.getOutputStream().write("exit\n".getBytes(StandardCharsets.UTF_8));
      ssh.getOutputStream().flush();
      ssh.waitFor(30, TimeUnit.SECONDS);
      ssh.destroy();
      seen.join();
    }
  }

  @Test
  void anotherLoginOrAnUnknownNodeIsRefusedWithTheReason() throws Exception {
    Command.Result wrongLogin = alice.bastionSsh(List.of(), bobLogin, "web-1", "true");
    assertThat(wrongLogin.exitCode()).isEqualTo(255);
    assertThat(wrongLogin.stderr()).contains("Portcullis: your certificate does not allow login '" + bobLogin + "'");

    Command.Result unknown = alice.bastionSsh(List.of("-o", "Hostname=db-9"), aliceLogin, "web-1", "true");
    assertThat(unknown.exitCode()).isEqualTo(255);
    assertThat(unknown.stderr()).contains("Portcullis: no enrolled node is named 'db-9'");
    fixture.awaitEvent("session.refused", event -> event.event().reasons().stream().anyMatch(r -> r.contains("db-9")));
  }

  @Test
  void aNodeNoRoleGrantsIsRefusedAtTheJump() throws Exception {
    fixture.joinNode("prod-1", Map.of("env", "prod"));
    Command.Result refused = alice.bastionSsh(List.of("-o", "Hostname=prod-1"), aliceLogin, "web-1", "true");
    assertThat(refused.exitCode()).isEqualTo(255);
    assertThat(refused.stderr()).contains("Portcullis: alice has no login on node prod-1");
  }

  @Test
  void aNodeThatIsDownGivesAClearError() throws Exception {
    int closed = SshProcesses.freePort();
    java.time.Instant now = java.time.Instant.now();
    fixture.server.server().ssh().nodes().register(new dev.portcullis.nodes.NodeRecord("down-1",
        Map.of("env", "dev"), "127.0.0.1:" + closed, "SHA256:none", "0".repeat(64), now, now));
    Command.Result down = alice.bastionSsh(List.of("-o", "Hostname=down-1"), aliceLogin, "web-1", "true");
    assertThat(down.exitCode()).isEqualTo(255);
    assertThat(down.stderr()).contains("Portcullis: node down-1 (127.0.0.1:" + closed + ") is not reachable");
  }

  @Test
  void portForwardingIsRefusedByDefaultAndAudited() throws Exception {
    Command.Result forward = alice.bastionSsh(List.of("-W", "127.0.0.1:" + fixture.server.port), aliceLogin,
        "web-1");
    assertThat(forward.exitCode()).isEqualTo(255);
    assertThat(forward.stderr()).contains("Portcullis: no role of alice allows port forwarding");
    fixture.awaitEvent("forward.refused", event -> "local".equals(event.event().details().get("forward"))
        && ("127.0.0.1:" + fixture.server.port).equals(event.event().details().get("destination")));
  }

  @Test
  void aRoleThatAllowsPortForwardingGetsItCarriedToTheNodeAndAudited() throws Exception {
    String nodeSshd = fixture.server.server().ssh().nodes().find("web-1").orElseThrow().address();
    // -W through the inner connection: the node's sshd connects to itself and its greeting comes back.
    Process forward = start(bob.bastionSshCommand(List.of("-W", nodeSshd), bobLogin, "web-1"));
    try {
      java.io.BufferedReader reader = new java.io.BufferedReader(
          new java.io.InputStreamReader(forward.getInputStream(), StandardCharsets.UTF_8));
      assertThat(SshProcesses.firstLine(reader).get(30, TimeUnit.SECONDS)).startsWith("SSH-2.0-OpenSSH");
    } finally {
      forward.destroyForcibly();
    }
    fixture.awaitEvent("port", event -> "bob".equals(event.event().user())
        && nodeSshd.equals(event.event().details().get("destination")));
  }

  @Test
  void agentForwardingIsRefusedByDefaultAndAudited() throws Exception {
    try (TestSshAgent agent = TestSshAgent.start()) {
      Command.Result list = Command.run(alice.bastionSshCommand(List.of("-A"), aliceLogin, "web-1", "ssh-add", "-l"),
          Map.of("SSH_AUTH_SOCK", agent.socket().toString()), SSH_TIMEOUT);
      // 2: ssh-add found no agent on the node.
      assertThat(list.exitCode()).as(list::describe).isEqualTo(2);
    }
    fixture.awaitEvent("forward.refused", event -> "alice".equals(event.event().user())
        && "agent".equals(event.event().details().get("forward")));
  }

  @Test
  void aRoleThatAllowsAgentForwardingGetsTheUsersAgentOnTheNode() throws Exception {
    Path directory = Files.createTempDirectory("pc-agent-key");
    Path key = directory.resolve("id_ed25519");
    assertThat(Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C",
        "bob's laptop key", "-f", key.toString()), SSH_TIMEOUT).exitCode()).isZero();
    String fingerprint = Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-l", "-f", key + ".pub"),
        SSH_TIMEOUT).stdout().split(" ")[1];
    try (TestSshAgent agent = TestSshAgent.start()) {
      Map<String, String> env = Map.of("SSH_AUTH_SOCK", agent.socket().toString());
      assertThat(Command.run(List.of("ssh-add", key.toString()), env, SSH_TIMEOUT).exitCode()).isZero();
      // Without -A the node gets no agent, even though the role would allow it.
      assertThat(Command.run(bob.bastionSshCommand(List.of(), bobLogin, "web-1", "ssh-add", "-l"), env, SSH_TIMEOUT)
          .exitCode()).isEqualTo(2);
      Command.Result list = Command.run(bob.bastionSshCommand(List.of("-A"), bobLogin, "web-1", "ssh-add", "-l"),
          env, SSH_TIMEOUT);
      assertThat(list.exitCode()).as(list::describe).isZero();
      assertThat(list.stdout()).contains(fingerprint);
    }
    fixture.awaitEvent("session.start", event -> "bob".equals(event.event().user())
        && "true".equals(event.event().details().get("agent_forwarded")));
  }

  @Test
  void lockingTheUserEndsTheirLiveSessionWithinFiveSeconds() throws Exception {
    Process ssh = start(bob.bastionSshCommand(List.of(), bobLogin, "web-1", "echo", "started;", "sleep", "120"));
    CompletableFuture<byte[]> errors = SshProcesses.readAll(ssh.getErrorStream());
    SshProcesses.awaitLine(ssh.getInputStream(), "started");
    awaitLive(bobLogin);
    fixture.lockEndsLiveSession("bob", ssh, errors);
  }

  @Test
  void sessionsKillEndsALiveSession() throws Exception {
    Process ssh = start(alice.bastionSshCommand(List.of(), aliceLogin, "web-1", "echo", "started;", "sleep", "120"));
    CompletableFuture<byte[]> errors = SshProcesses.readAll(ssh.getErrorStream());
    SshProcesses.awaitLine(ssh.getInputStream(), "started");
    String id = awaitLive(aliceLogin);
    try {
      CliUser.Run kill = fixture.admin("sessions", "kill", id, "--reason", "incident 7");
      assertThat(kill.exitCode()).as(kill::describe).isZero();
      assertThat(ssh.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(new String(errors.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8))
          .contains("Portcullis: session ended: killed by");
      fixture.awaitEvent("session.end", event -> id.equals(event.event().details().get("session"))
          && event.event().reasons().getFirst().contains("incident 7"));
    } finally {
      ssh.destroyForcibly();
    }
  }

  private List<String> scp(CliUser user, List<String> options, Path file, String target) throws IOException {
    List<String> ssh = user.bastionSshCommand(List.of(), "x", "y");
    // Reuse the ssh options (-F and the -o list) for scp; drop "ssh" and the trailing x@y.
    List<String> command = new java.util.ArrayList<>();
    command.add("/usr/bin/scp");
    command.addAll(options);
    command.addAll(ssh.subList(1, ssh.size() - 1));
    command.add(file.toString());
    command.add(target);
    return command;
  }

  /** The ids of the login's sessions in {@code portcullis sessions ls}. */
  private java.util.Set<String> sessionIds(String login) {
    CliUser.Run ls = fixture.admin("sessions", "ls");
    assertThat(ls.exitCode()).as(ls::describe).isZero();
    return ls.out().lines().filter(line -> line.contains(login)).map(BastionEndToEndTest::firstWord)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The one session of the login that {@code sessions ls} lists now and did not before. */
  private String newSessionId(String login, java.util.Set<String> before) {
    java.util.Set<String> now = new java.util.HashSet<>(sessionIds(login));
    now.removeAll(before);
    assertThat(now).as("new sessions of " + login).hasSize(1);
    return now.iterator().next();
  }

  private String awaitLive(String login) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      CliUser.Run ls = fixture.admin("sessions", "ls", "--live");
      for (String line : ls.out().lines().toList()) {
        if (line.contains(login)) {
          return firstWord(line);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no live session of " + login);
  }

  private StoredAuditEvent lastEvent(String type, String sessionId) {
    return fixture.audit(type).stream().filter(event -> sessionId.equals(event.event().details().get("session")))
        .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no " + type + " for " + sessionId));
  }

  private static String firstWord(String line) {
    Matcher matcher = Pattern.compile("^\\s*(\\S+)").matcher(line);
    return matcher.find() ? matcher.group(1) : "";
  }

  private static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command).start();
  }
}
