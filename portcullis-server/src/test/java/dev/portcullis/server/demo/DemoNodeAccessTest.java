package dev.portcullis.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditQuery;
import dev.portcullis.cli.CliContext;
import dev.portcullis.cli.LoginCommand;
import dev.portcullis.cli.SshConfigCommand;
import dev.portcullis.cli.Terminal;
import dev.portcullis.nodes.NodeRegistry;
import dev.portcullis.server.cli.Main;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.UserCertificateRequest;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Who gets into the demo node, checked with the real OpenSSH client connecting to it directly: only certificates
 * from the user CA, valid by the server's clock, for a login they list and that the user's roles grant on the node
 * now; hosts are trusted through the host CA alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoNodeAccessTest {
  private static final String DENIED = "Permission denied (publickey)";

  private DemoNodeFixture fixture;
  private DemoSshClient client;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    fixture = DemoNodeFixture.start(dir);
    client = fixture.client;
  }

  @AfterAll
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aliceLogsInAsAliceWithTheCertificateLoginGaveHer() throws Exception {
    Path key = fixture.loggedIn("alice-login", "alice");

    Command.Result result = client.ssh(key, "alice", List.of(), "echo logged-in-as-$USER");

    assertThat(result.exitCode()).as(result::describe).isZero();
    assertThat(result.stdout()).isEqualTo("logged-in-as-alice\n");
  }

  @Test
  void theHostIsTrustedThroughTheHostCaUnderBothItsNamesAndNotWithoutIt() throws Exception {
    Path key = fixture.loggedIn("alice-hosts", "alice");
    DemoSshClient otherCa = client.trusting("other-ca", otherCa(SshCaType.HOST).knownHostsLines("*"));

    Command.Result byName = client.ssh(key, "alice", List.of("-o", "HostKeyAlias=demo-node"), "true");
    Command.Result byAddress = client.ssh(key, "alice", List.of(), "true");
    Command.Result untrusted = otherCa.ssh(key, "alice", List.of(), "true");

    assertThat(byName.exitCode()).as(byName::describe).isZero();
    assertThat(byAddress.exitCode()).as(byAddress::describe).isZero();
    assertThat(untrusted.exitCode()).as(untrusted::describe).isEqualTo(255);
    assertThat(untrusted.stderr()).contains("Host key verification failed");
  }

  @Test
  void refusesALoginThatIsNotInTheCertificate() throws Exception {
    Path aliceKey = fixture.loggedIn("alice-as-bob", "alice");
    Path bobKey = client.newKey("bob-without-ops");
    client.certify(bobKey, fixture.server().ssh().userCa().issueUser(UserCertificateRequest.of(
        client.publicKey(bobKey), "bob@local", List.of("bob"), Duration.ofHours(1))).line());
    fixture.remember("bob", fixture.clock.instant().plus(Duration.ofHours(1)));

    assertRefused(client.ssh(aliceKey, "bob", List.of(), "true"));
    // bob's roles grant ops on the node, but this certificate does not name it.
    assertRefused(client.ssh(bobKey, "ops", List.of(), "true"));
    assertThat(client.ssh(bobKey, "bob", List.of(), "true").exitCode()).as("the login it names").isZero();
  }

  @Test
  void refusesALoginTheCertificateListsButTheRolesDoNotGrantOnTheNode() throws Exception {
    Path key = client.newKey("alice-root");
    client.certify(key, fixture.server().ssh().userCa().issueUser(UserCertificateRequest.of(client.publicKey(key),
        "alice@local", List.of("alice", "root"), Duration.ofHours(1))).line());
    fixture.remember("alice", fixture.clock.instant().plus(Duration.ofHours(1)));

    Command.Result asRoot = client.ssh(key, "root", List.of(), "true");
    Command.Result asAlice = client.ssh(key, "alice", List.of(), "true");

    assertRefused(asRoot);
    assertThat(asAlice.exitCode()).as("the same certificate for a granted login: %s", asAlice.describe()).isZero();
  }

  @Test
  void refusesACertificateFromAnotherCa() throws Exception {
    Path key = client.newKey("alice-foreign");
    client.certify(key, otherCa(SshCaType.USER).issueUser(UserCertificateRequest.of(client.publicKey(key),
        "alice@local", List.of("alice"), Duration.ofHours(1))).line());
    fixture.remember("alice", fixture.clock.instant().plus(Duration.ofHours(1)));

    assertRefused(client.ssh(key, "alice", List.of(), "true"));
  }

  @Test
  void refusesAPlainKey() {
    Path key = client.newKey("alice-plain");

    assertRefused(client.ssh(key, "alice", List.of(), "true"));
  }

  @Test
  void refusesALockedUserWithAValidCertificate() throws Exception {
    Path key = fixture.loggedIn("bob-locked", "bob");
    assertThat(client.ssh(key, "bob", List.of(), "true").exitCode()).as("before the lock").isZero();

    fixture.server().ssh().locks().lockUser("bob", "left the team", "admin");
    try {
      assertRefused(client.ssh(key, "bob", List.of(), "true"));
      assertRefused(client.ssh(key, "ops", List.of(), "true"));
    } finally {
      fixture.server().ssh().locks().unlockUser("bob");
    }
  }

  @Test
  void refusesACertificateThatHasExpiredByTheServersClock() throws Exception {
    Path key = client.newKey("alice-short");
    client.certify(key, fixture.server().ssh().userCa().issueUser(UserCertificateRequest.of(client.publicKey(key),
        "alice@local", List.of("alice"), Duration.ofMinutes(10))).line());
    Instant issued = fixture.clock.instant();
    fixture.remember("alice", issued.plus(Duration.ofHours(8)));
    assertThat(client.ssh(key, "alice", List.of(), "true").exitCode()).as("while valid").isZero();

    fixture.clock.advance(Duration.ofMinutes(11));
    try {
      // The real time is still inside the validity: only the server's clock says it has expired.
      assertRefused(client.ssh(key, "alice", List.of(), "true"));
    } finally {
      fixture.clock.set(issued);
    }
  }

  @Test
  void aPolicyChangeInTheConfigurationFileTakesEffectAtTheNextLogin() throws Exception {
    Path key = fixture.loggedIn("alice-reload", "alice");
    Path config = fixture.demo.config();
    String original = Files.readString(config);
    String withoutDemoNodes = original.replace("node_labels: {env: [demo]}", "node_labels: {env: [prod]}");
    assertThat(withoutDemoNodes).isNotEqualTo(original);

    reconfigure(config, withoutDemoNodes);
    try {
      assertRefused(client.ssh(key, "alice", List.of(), "true"));
    } finally {
      reconfigure(config, original);
    }
    Command.Result after = client.ssh(key, "alice", List.of(), "true");
    assertThat(after.exitCode()).as("granted again: %s", after.describe()).isZero();
  }

  @Test
  void nodesLsListsTheDemoNodeOnlineWithItsAddressAndLabels() {
    StringWriter out = new StringWriter();
    CommandLine nodes = Main.commandLine();
    nodes.setOut(new PrintWriter(out, true));
    nodes.setErr(new PrintWriter(new StringWriter(), true));

    int exitCode = nodes.execute("nodes", "ls", "--config", fixture.demo.config().toString());

    assertThat(exitCode).isZero();
    assertThat(out.toString().lines().filter(line -> line.startsWith("demo-node ")).findFirst())
        .hasValueSatisfying(line -> assertThat(line.split("\\s+"))
            .containsSubsequence("demo-node", "online", fixture.demo.node().address())
            .endsWith("env=demo"));
  }

  @Test
  void theBannersLoginAndSshConfigStepsLetTheRealSshClientIn() throws Exception {
    Path laptop = Files.createDirectories(client.dir.resolve("cli-user"));
    String proxy = "https://portcullis.localhost:" + fixture.server().port();
    assertThat(fixture.demo.banner())
        .contains("./portcullis login --proxy " + proxy + " --insecure --user alice")
        .contains("./portcullis ssh-config > demo_ssh_config")
        .contains("ssh -F demo_ssh_config alice@demo-node")
        .contains("node demo-node (env=demo) listens on " + fixture.demo.node().address())
        .contains("commands run as the OS user '" + System.getProperty("user.name") + "'");

    Cli login = cli(new LoginCommand(cliContext(laptop)), "--proxy", proxy, "--insecure", "--user", "alice");
    Cli sshConfig = cli(new SshConfigCommand(cliContext(laptop)));
    assertThat(login.exitCode()).as(login.err()).isZero();
    assertThat(sshConfig.exitCode()).as(sshConfig.err()).isZero();
    Path config = Files.writeString(laptop.resolve("demo_ssh_config"), sshConfig.out());
    assertThat(sshConfig.out()).contains("Host demo-node").contains("ProxyJump 127.0.0.1:");
    // Exactly as the banner says, through the bastion; the global known_hosts is off, so only the CLI's CA line
    // can vouch for the bastion and the node.
    Command.Result ssh = Command.run(List.of(RealOpenSsh.SSH.toString(), "-F", config.toString(),
        "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "alice@demo-node", "echo hello from $USER"),
        DemoSshClient.TIMEOUT);

    assertThat(ssh.exitCode()).as(ssh::describe).isZero();
    assertThat(ssh.stdout()).isEqualTo("hello from alice\n");
    StringWriter sessions = new StringWriter();
    CommandLine ls = Main.commandLine();
    ls.setOut(new PrintWriter(sessions, true));
    assertThat(ls.execute("sessions", "ls", "--config", fixture.demo.config().toString())).isZero();
    assertThat(sessions.toString()).containsPattern("alice\\s+demo-node\\s+alice");
  }

  @Test
  void aHeartbeatMarksTheNodeSeenAndEnrollsItAgainWhenTheRegistryLostIt() {
    NodeRegistry registry = fixture.server().ssh().nodes();
    Instant start = fixture.clock.instant();
    try {
      Instant later = fixture.clock.advance(Duration.ofSeconds(45));
      fixture.demo.node().heartbeat();
      assertThat(registry.find("demo-node")).hasValueSatisfying(node -> assertThat(node.lastSeen()).isEqualTo(later));

      registry.remove("demo-node");
      fixture.demo.node().heartbeat();
      assertThat(registry.find("demo-node")).hasValueSatisfying(node -> {
        assertThat(node.address()).isEqualTo(fixture.demo.node().address());
        assertThat(node.labels()).isEqualTo(Map.of("env", "demo"));
        assertThat(node.hostKeyFingerprint()).isEqualTo(fixture.demo.node().hostKeyFingerprint());
      });
    } finally {
      fixture.clock.set(start);
      fixture.demo.node().heartbeat();
    }
  }

  private record Cli(int exitCode, String out, String err) {}

  private static Cli cli(Object command, String... args) {
    CommandLine line = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exitCode = line.execute(args);
    return new Cli(exitCode, out.toString(), err.toString());
  }

  /** The laptop as the CLI sees it: a person at the terminal who types the demo password when asked. */
  private static CliContext cliContext(Path laptop) {
    return CliContext.builder()
        .environment(Map.of("PORTCULLIS_HOME", laptop.resolve(".portcullis").toString()))
        .userHome(laptop)
        .stdin(new ByteArrayInputStream(new byte[0]))
        .terminal(new Terminal() {
          @Override
          public boolean interactive() {
            return true;
          }

          @Override
          public char[] readSecret(String prompt) {
            return DemoConfig.PASSWORD.toCharArray();
          }

          @Override
          public String readLine(String prompt) {
            throw new AssertionError("the demo asks for nothing but the password: " + prompt);
          }
        })
        .browser(uri -> {
          throw new IOException("signing in with --user opens no browser");
        })
        .processes(command -> {
          throw new IOException("this test runs ssh itself");
        })
        .build();
  }

  private SshCertificateAuthority otherCa(SshCaType type) throws Exception {
    return SshCertificateAuthority.open(type, Files.createTempDirectory("other-ca"), fixture.clock, new SecureRandom());
  }

  /** Refused by the node at authentication, as sshd refuses: the client tried its key and got nowhere. */
  private static void assertRefused(Command.Result result) {
    assertThat(result.exitCode()).as(result::describe).isEqualTo(255);
    assertThat(result.stderr()).as(result::describe).contains(DENIED);
  }

  /** Rewrites the demo's configuration and waits until the running server has reloaded it. */
  private void reconfigure(Path config, String yaml) throws Exception {
    int reloads = reloads();
    Files.writeString(config, yaml);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (reloads() == reloads) {
      assertThat(System.nanoTime()).as("the server did not reload its configuration").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private int reloads() {
    return fixture.server().audit().store().search(new AuditQuery(Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of("config.reloaded"), 1000)).size();
  }
}
