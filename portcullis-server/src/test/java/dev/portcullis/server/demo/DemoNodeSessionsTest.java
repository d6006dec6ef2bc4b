package dev.portcullis.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does on the demo node once in, with the real OpenSSH tools: commands with their exit status, an
 * interactive terminal (echo, Ctrl-C, window size), sftp and scp in the login's demo HOME, and no forwarding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoNodeSessionsTest {
  /** What a login's command may find in its environment: the node's list, plus what the shell adds itself. */
  private static final Set<String> ALLOWED_VARIABLES =
      Set.of("PATH", "LANG", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "PWD", "SHLVL", "_", "OLDPWD");

  private DemoNodeFixture fixture;
  private DemoSshClient client;
  private Path alice;
  private Path aliceHome;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    fixture = DemoNodeFixture.start(dir);
    client = fixture.client;
    alice = fixture.loggedIn("alice", "alice");
    aliceHome = dir.resolve("data/demo-node/home/alice").toAbsolutePath();
  }

  @AfterAll
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aCommandRunsInTheLoginsHomeAndItsExitStatusComesBack() {
    Command.Result result = client.ssh(alice, "alice", List.of(),
        "echo \"$USER $LOGNAME $HOME\"; pwd; echo to-stderr >&2; exit 3");

    assertThat(result.exitCode()).as(result::describe).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("alice alice " + aliceHome + "\n" + aliceHome + "\n");
    assertThat(result.stderr()).isEqualTo("to-stderr\n");
  }

  @Test
  void aCommandSeesNoVariableFromTheDemosEnvironmentOrTheClient() {
    Command.Result result = client.ssh(alice, "alice", List.of("-o", "SetEnv=INJECTED=from-client"), "env");

    assertThat(result.exitCode()).as(result::describe).isZero();
    Map<String, String> variables = result.stdout().lines().filter(line -> line.contains("="))
        .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
            line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
    assertThat(variables.keySet()).as(result::describe).isSubsetOf(ALLOWED_VARIABLES)
        .contains("PATH", "HOME", "USER", "LOGNAME", "SHELL");
  }

  @Test
  void anInteractiveTerminalEchoesWhatIsTypedAndCtrlCInterruptsTheRunningCommand() throws Exception {
    requireTerminals();
    List<String> command = client.sshCommand(alice, "alice", List.of("-tt"));
    try (InteractiveProcess terminal = InteractiveProcess.start(command)) {
      int at = terminal.await("Welcome to demo-node");
      at = terminal.await("alice@demo-node:~", at);

      terminal.type("echo $((6*7))-computed\n");
      at = terminal.await("echo $((6*7))-computed", at); // the terminal echoes the typing
      at = terminal.await("42-computed", at);
      terminal.type("echo $((1+1))-sleeping; sleep 60; echo $((2+2))-finished\n");
      at = terminal.await("2-sleeping", at);
      terminal.type("\u0003");
      at = terminal.await("^C", at);
      terminal.type("echo $((2+3))-after-interrupt; exit 4\n");
      terminal.await("5-after-interrupt", at);

      assertThat(terminal.exitCode()).as(terminal::describe).isEqualTo(4);
      assertThat(terminal.output()).doesNotContain("4-finished");
    }
  }

  @Test
  void theTerminalTakesTheClientsWindowSizeAndFollowsItsChanges() throws Exception {
    requireTerminals();
    String remote = "stty size; while [ \"$(stty size)\" = '33 111' ]; do sleep 0.1; done; stty size";
    // Sizes sent as variables do not count: only the terminal request and window changes say how big it is.
    List<String> ssh = new ArrayList<>(client.sshCommand(alice, "alice", List.of("-tt", "-o",
        "SetEnv=COLUMNS=7 LINES=3")));
    ssh.add(remote);
    // The laptop's own terminal: script gives ssh one, sized 33x111 before ssh reads it.
    String local = "stty rows 33 cols 111; exec " + ssh.stream().map(DemoNodeSessionsTest::quote)
        .collect(Collectors.joining(" "));
    try (InteractiveProcess laptop = InteractiveProcess.start(List.of("script", "-q", "-f", "-e", "-c", local,
        "/dev/null"))) {
      int at = laptop.await("33 111");

      Path laptopTerminal = terminalOf(laptop.process().toHandle().children().findFirst().orElseThrow());
      Command.Result resize = Command.run(List.of("stty", "-F", laptopTerminal.toString(), "rows", "44", "cols",
          "122"), DemoSshClient.TIMEOUT);
      assertThat(resize.succeeded()).as(resize::describe).isTrue();

      laptop.await("44 122", at);
      assertThat(laptop.exitCode()).as(laptop::describe).isZero();
    }
  }

  @Test
  void aClientThatGoesAwayTakesItsShellAndWhatTheShellStartedWithIt() throws Exception {
    requireTerminals();
    List<String> command = client.sshCommand(alice, "alice", List.of("-tt"));
    long shell;
    long background;
    try (InteractiveProcess terminal = InteractiveProcess.start(command)) {
      int at = terminal.await("alice@demo-node:~");
      // Quoted apart so that only the output, not the echo of the typing, reads "pids-".
      terminal.type("sleep 300 & echo \"pid\"\"s-$$-$!-end\"\n");
      int from = terminal.await("pids-", at);
      String[] pids = terminal.output().substring(from, terminal.await("-end", from) - "-end".length()).split("-");
      shell = Long.parseLong(pids[0]);
      background = Long.parseLong(pids[1]);
      assertThat(ProcessHandle.of(background)).as("the background job runs").hasValueSatisfying(
          process -> assertThat(process.isAlive()).isTrue());
    } // the client is killed: no goodbye, the connection just drops

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && (alive(shell) || alive(background))) {
      Thread.sleep(50);
    }
    assertThat(alive(shell)).as("the login shell").isFalse();
    assertThat(alive(background)).as("its background job").isFalse();
  }

  @Test
  void sftpUploadsIntoTheLoginsHomeAndDownloadsFromIt() throws Exception {
    Path upload = Files.writeString(client.dir.resolve("upload.txt"), "hello from the laptop\n");
    Path download = client.dir.resolve("download.txt");

    Command.Result result = client.sftp(alice, "alice", """
        pwd
        put %s uploaded.txt
        get uploaded.txt %s
        """.formatted(upload, download));

    assertThat(result.exitCode()).as(result::describe).isZero();
    assertThat(result.stdout()).contains("Remote working directory: " + aliceHome);
    assertThat(aliceHome.resolve("uploaded.txt")).hasContent("hello from the laptop");
    assertThat(download).hasContent("hello from the laptop");
  }

  @Test
  void scpCopiesIntoTheLoginsHome() throws Exception {
    Path file = Files.writeString(client.dir.resolve("scp.txt"), "copied with scp\n");

    Command.Result result = client.scpTo(alice, "alice", file, "scp-copy.txt");

    assertThat(result.exitCode()).as(result::describe).isZero();
    assertThat(aliceHome.resolve("scp-copy.txt")).hasContent("copied with scp");
  }

  @Test
  void refusesToForwardPorts() {
    String target = "127.0.0.1:" + fixture.server().port();

    Command.Result local = client.ssh(alice, "alice", List.of("-W", target));
    Command.Result remote = client.ssh(alice, "alice", List.of("-o", "ExitOnForwardFailure=yes", "-R",
        "0:" + target), "true");

    assertThat(local.exitCode()).as(local::describe).isEqualTo(255);
    assertThat(local.stderr()).as(local::describe).contains("open failed");
    assertThat(remote.exitCode()).as(remote::describe).isEqualTo(255);
    assertThat(remote.stderr()).as(remote::describe).contains("remote port forwarding failed");
  }

  private static void requireTerminals() {
    RealComponents.requireOrSkip(PseudoTerminal.find(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")).isPresent(),
        "util-linux script and stty (Essential on Debian), for terminals on the demo node");
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Path terminalOf(ProcessHandle process) throws Exception {
    return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "fd", "0"));
  }

  private static String quote(String argument) {
    return "'" + argument.replace("'", "'\\''") + "'";
  }
}
