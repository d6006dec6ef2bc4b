package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.StoredAuditEvent;
import dev.portcullis.testing.openssh.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bastion in one hop, with everything real: {@code ssh -p BASTION LOGIN@NODE@localhost}, with the config
 * {@code portcullis ssh-config} printed, and no ProxyJump. The bastion authorizes the node and the login when the
 * user authenticates, terminates the connection itself and relays it to web-1's real sshd, exactly as it does the
 * inner session of a jump: the same refusals, audit events, recording and live control.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BastionOneHopEndToEndTest {
  private static final Duration SSH_TIMEOUT = Duration.ofSeconds(30);
  private static final String CONFIG = SshFixture.SERVER + """
      ssh:
        bastion:
          listen: 127.0.0.1:{BASTION}
      identity_providers:
        - name: local
          type: local
          users:
            - username: carol
              email: carol@example.com
              groups: [team-c]
              password_hash: "{HASH}"
            - username: dave
              email: dave@example.com
              groups: [team-d]
              password_hash: "{HASH}"
      roles:
        - name: c
          allow:
            node_labels: {env: [dev]}
            logins: [{CAROL_LOGIN}]
        - name: d
          allow:
            node_labels: {env: [dev]}
            logins: [{DAVE_LOGIN}]
      role_mappings:
        - groups: [team-c]
          roles: [c]
        - groups: [team-d]
          roles: [d]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;

  private SshFixture fixture;
  private CliUser carol;
  private CliUser dave;
  private String carolLogin;
  private String daveLogin;
  private int bastionPort;

  @BeforeAll
  void startServerWithBastionAndSignIn() throws Exception {
    RealHost.require();
    carolLogin = RealHost.throwawayName("pcbc");
    daveLogin = RealHost.throwawayName("pcbd");
    bastionPort = SshProcesses.freePort();
    fixture = SshFixture.start(CONFIG.replace("{BASTION}", Integer.toString(bastionPort))
        .replace("{CAROL_LOGIN}", carolLogin).replace("{DAVE_LOGIN}", daveLogin));
    carol = fixture.user("carol");
    dave = fixture.user("dave");
    assertThat(fixture.passwordLogin(carol, "carol").exitCode()).isZero();
    assertThat(fixture.passwordLogin(dave, "dave").exitCode()).isZero();
    assertThat(fixture.web1.heartbeat().accounts().orElseThrow().created()).contains(carolLogin, daveLogin);
  }

  /** The server's clock is a test clock; the real sshd judges the bastion's 2-minute certificates by real time. */
  @BeforeEach
  void serverClockFollowsRealTime() {
    fixture.server.clock.set(Instant.now());
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aCommandRunsOnTheNodeAsTheLoginAndIsAudited() throws Exception {
    Command.Result exec = run(carol, List.of(), carolLogin + "@web-1", "echo", "one-hop-$((6*7))", "$(id -un)");
    assertThat(exec.exitCode()).as(exec::describe).isZero();
    assertThat(exec.stdout().strip()).isEqualTo("one-hop-42 " + carolLogin);
    StoredAuditEvent command = fixture.awaitEvent("exec", event -> "carol".equals(event.event().user())
        && "echo one-hop-$((6*7)) $(id -un)".equals(event.event().details().get("command")));
    String session = command.event().details().get("session");
    assertThat(command.event().resource()).isEqualTo("node:web-1");
    assertThat(command.event().details()).containsEntry("login", carolLogin).containsEntry("node", "web-1");
    fixture.awaitEvent("session.end", event -> session.equals(event.event().details().get("session"))
        && "0".equals(event.event().details().get("exit_status")));
  }

  @Test
  void scpCopiesAFileToTheNodeAndItsSftpOperationsAreAudited() throws Exception {
    Path file = Files.writeString(fixture.dir.resolve("one-hop.txt"), "in one hop\n");
    List<String> ssh = command(carol, List.of(), "x");
    // scp takes ssh's -F and -o options, -P for the port, and the user name LOGIN@NODE before the host.
    List<String> scp = new ArrayList<>(List.of("/usr/bin/scp"));
    scp.addAll(ssh.subList(1, ssh.indexOf("-p")));
    scp.addAll(List.of("-P", Integer.toString(bastionPort), file.toString(),
        carolLogin + "@web-1@localhost:uploaded-in-one-hop.txt"));
    Command.Result copied = Command.run(scp, SSH_TIMEOUT);
    assertThat(copied.exitCode()).as(copied::describe).isZero();
    fixture.awaitEvent("sftp", event -> "carol".equals(event.event().user())
        && "uploaded-in-one-hop.txt".equals(event.event().details().get("path")));
    Command.Result check = run(carol, List.of(), carolLogin + "@web-1", "cat", "uploaded-in-one-hop.txt");
    assertThat(check.stdout()).isEqualTo("in one hop\n");
  }

  @Test
  void anInteractiveSessionIsRecordedAndItsReplayEqualsWhatTheClientSaw() throws Exception {
    Process ssh = new ProcessBuilder(command(carol, List.of("-tt"), carolLogin + "@web-1")).start();
    CompletableFuture<byte[]> seen = SshProcesses.readAll(ssh.getInputStream());
    CompletableFuture<byte[]> errors = SshProcesses.readAll(ssh.getErrorStream());
    OutputStream keyboard = ssh.getOutputStream();
    keyboard.write("echo recorded-in-one-hop-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
    Thread.sleep(500);
    keyboard.write("exit\n".getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
    assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String client = new String(seen.get(), StandardCharsets.UTF_8);
    assertThat(ssh.exitValue()).as(() -> client + new String(errors.join(), StandardCharsets.UTF_8)).isZero();
    assertThat(client).contains("recorded-in-one-hop-42");

    StoredAuditEvent end = fixture.awaitEvent("session.end", event -> "carol".equals(event.event().user())
        && "shell".equals(event.event().details().get("kind")));
    assertThat(end.event().details()).containsEntry("recorded", "true").containsEntry("login", carolLogin);
    CliUser.Run play = fixture.admin("play", end.event().details().get("session"), "--speed", "1000");
    assertThat(play.exitCode()).as(play::describe).isZero();
    assertThat(play.out()).isEqualTo(client);
    // The first line was typed before ssh connected, so it reached the bastion as the recording started: it is
    // recorded all the same, and before the second.
    CliUser.Run cast = fixture.admin("sessions", "export", end.event().details().get("session"));
    assertThat(cast.exitCode()).as(cast::describe).isZero();
    StringBuilder typed = new StringBuilder();
    ObjectMapper json = new ObjectMapper();
    for (String line : cast.out().lines().skip(1).toList()) {
      JsonNode event = json.readTree(line);
      if (event.get(1).asText().equals("i")) {
        typed.append(event.get(2).asText());
      }
    }
    assertThat(typed.toString()).isEqualTo("echo recorded-in-one-hop-$((6*7))\nexit\n");
  }

  @Test
  void anotherLoginAnUnknownNodeAndANameWithoutALoginAreRefusedWithTheReason() throws Exception {
    Command.Result wrongLogin = run(carol, List.of(), daveLogin + "@web-1", "true");
    assertThat(wrongLogin.exitCode()).isEqualTo(255);
    assertThat(wrongLogin.stderr()).contains("Portcullis: your certificate does not allow login '" + daveLogin + "'");
    fixture.awaitEvent("session.refused", event -> "carol".equals(event.event().user())
        && daveLogin.equals(event.event().details().get("login")));

    Command.Result unknown = run(carol, List.of(), carolLogin + "@db-9", "true");
    assertThat(unknown.exitCode()).isEqualTo(255);
    assertThat(unknown.stderr()).contains("Portcullis: no enrolled node is named 'db-9'");
    fixture.awaitEvent("session.refused", event -> "node:db-9".equals(event.event().resource()));

    Command.Result noLogin = run(carol, List.of(), "@web-1", "true");
    assertThat(noLogin.exitCode()).isEqualTo(255);
    assertThat(noLogin.stderr()).contains("expected LOGIN@NODE");
  }

  @Test
  void aPlainUserNameStillOnlyJumpsAndBothTheBastionAndSshConfigNameTheOneHopForm() throws Exception {
    Command.Result shell = run(carol, List.of(), carolLogin, "true");
    assertThat(shell.exitCode()).isEqualTo(1);
    assertThat(shell.stderr()).contains("Portcullis: this is an SSH bastion")
        .contains("ssh -p " + bastionPort + " LOGIN@NODE@");
    assertThat(carol.sshConfig().out()).contains("ssh -F THIS_FILE -p " + bastionPort + " LOGIN@NODE@localhost");
  }

  @Test
  void portForwardingIsRefusedByDefaultAndAudited() throws Exception {
    Command.Result forward = run(carol, List.of("-W", "127.0.0.1:" + fixture.server.port), carolLogin + "@web-1");
    assertThat(forward.exitCode()).isEqualTo(255);
    assertThat(forward.stderr()).contains("Portcullis: no role of carol allows port forwarding");
    fixture.awaitEvent("forward.refused", event -> "carol".equals(event.event().user())
        && ("127.0.0.1:" + fixture.server.port).equals(event.event().details().get("destination")));
  }

  @Test
  void lockingTheUserEndsTheirLiveSessionWithinFiveSeconds() throws Exception {
    Process ssh = new ProcessBuilder(command(dave, List.of(), daveLogin + "@web-1", "echo", "started;", "sleep",
        "120")).start();
    CompletableFuture<byte[]> errors = SshProcesses.readAll(ssh.getErrorStream());
    SshProcesses.awaitLine(ssh.getInputStream(), "started");
    fixture.lockEndsLiveSession("dave", ssh, errors);
  }

  /**
   * sshd runs every session of one connection under that connection's own process, so the parent of the remote
   * shell tells which login to the node a session came through.
   */
  @Test
  void theSameUsersNextConnectionReusesItsLoginToTheNodeAndAnotherUsersNeverDoes() throws Exception {
    long carolsBefore = carolsSessionStarts();
    long first = sshdConnectionOf(carol, carolLogin);
    long second = sshdConnectionOf(carol, carolLogin);
    long daves = sshdConnectionOf(dave, daveLogin);

    assertThat(second).isEqualTo(first);
    assertThat(daves).isNotEqualTo(first);
    // Each connection is still a session of its own in the audit log.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (carolsSessionStarts() < carolsBefore + 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(carolsSessionStarts()).isEqualTo(carolsBefore + 2);
  }

  private long carolsSessionStarts() {
    return fixture.audit("session.start").stream().filter(event -> "carol".equals(event.event().user())).count();
  }

  @Test
  void lockingTheUserClosesTheLoginToTheNodeTheirLastConnectionLeft() throws Exception {
    long parked = sshdConnectionOf(dave, daveLogin);
    Thread.sleep(500); // long after a closed connection's sshd process would have exited
    assertThat(ProcessHandle.of(parked).map(ProcessHandle::isAlive)).as("sshd's process for the parked login")
        .contains(true);
    CliUser.Run lock = fixture.admin("users", "lock", "dave", "--reason", "offboarding");
    assertThat(lock.exitCode()).as(lock::describe).isZero();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (ProcessHandle.of(parked).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ProcessHandle.of(parked).map(ProcessHandle::isAlive).orElse(false))
          .as("sshd's process for dave's parked login, 5 s after the lock").isFalse();
    } finally {
      fixture.admin("users", "unlock", "dave");
    }
  }

  /** A node that went away without closing the connection (here: its sshd process stopped) must not hang the user. */
  @Test
  void aParkedLoginThatNoLongerAnswersIsReplacedByANewOne() throws Exception {
    long parked = sshdConnectionOf(carol, carolLogin);
    signal("-STOP", parked);
    try {
      long started = System.nanoTime();
      long replacement = sshdConnectionOf(carol, carolLogin);

      assertThat(replacement).isNotEqualTo(parked);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    } finally {
      signal("-CONT", parked);
    }
  }

  private static void signal(String signal, long pid) throws IOException {
    Command.Result sent = Command.run(List.of("kill", signal, Long.toString(pid)), Duration.ofSeconds(5));
    assertThat(sent.exitCode()).as(sent::describe).isZero();
  }

  /** The process id of the node's sshd connection that a new one-hop connection's session runs under. */
  private long sshdConnectionOf(CliUser user, String login) throws IOException {
    Command.Result parent = run(user, List.of(), login + "@web-1", "echo", "$PPID", "$(id -un)");
    assertThat(parent.exitCode()).as(parent::describe).isZero();
    String[] words = parent.stdout().strip().split(" ");
    assertThat(words).as(parent::describe).hasSize(2);
    assertThat(words[1]).isEqualTo(login);
    return Long.parseLong(words[0]);
  }

  /**
   * {@code ssh -F CONFIG [OPTIONS] -p BASTION USER@localhost COMMAND}: the config's block for the bastion's host
   * (the target of its ProxyJump) carries the key, certificate and host CA, and no jump.
   */
  private List<String> command(CliUser user, List<String> options, String userName, String... remoteCommand)
      throws IOException {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of("-p", Integer.toString(bastionPort)));
    return user.bastionSshCommand(all, userName, "localhost", remoteCommand);
  }

  private Command.Result run(CliUser user, List<String> options, String userName, String... remoteCommand)
      throws IOException {
    return Command.run(command(user, options, userName, remoteCommand), SSH_TIMEOUT);
  }
}
