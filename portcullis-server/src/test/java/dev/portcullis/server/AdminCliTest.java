package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Admin commands run from another "process" (the CLI on the store) against a running server. */
class AdminCliTest {
  @TempDir Path dir;
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(dir, WebFixtures.LOCAL_CONFIG);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  record Run(int exitCode, String out, String err) {}

  @Test
  void lockingAUserEndsTheirLiveWebSessionWithinSecondsAndUnlockingLetsThemBackIn() throws Exception {
    TestBrowser browser = new TestBrowser(server.certificate());
    WebFixtures.signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);

    Run lock = run("users", "lock", "alice", "--reason", "laptop stolen", "-c", server.configFile.toString());
    assertThat(lock.exitCode()).as(lock.err()).isZero();
    assertThat(run("users", "ls", "-c", server.configFile.toString()).out()).contains("alice").contains("laptop stolen");

    HttpResponse<String> refused = null;
    for (int i = 0; i < 50; i++) {
      refused = browser.get(server.url("whoami", "/"));
      if (refused.statusCode() == 403) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(refused.statusCode()).as("within 5 seconds").isEqualTo(403);
    assertThat(refused.body()).contains("locked");
    assertThat(browser.get(server.url("whoami", "/")).statusCode()).as("the session is gone").isEqualTo(302);
    assertThat(WebFixtures.audit(server, "user.locked")).isNotEmpty();

    assertThat(run("users", "unlock", "alice", "-c", server.configFile.toString()).exitCode()).isZero();
    Thread.sleep(2500);
    assertThat(WebFixtures.signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null)
        .statusCode()).isEqualTo(200);
    assertThat(run("users", "unlock", "alice", "-c", server.configFile.toString()).exitCode()).as("not locked").isEqualTo(1);
  }

  @Test
  void aTokenFromTheCliJoinsANodeOnceAndNodesLsListsIt() throws Exception {
    Run add = run("tokens", "add", "--type", "node", "--ttl", "10m", "-c", server.configFile.toString());
    assertThat(add.exitCode()).as(add.err()).isZero();
    String token = add.out().lines().findFirst().orElseThrow();
    assertThat(run("tokens", "ls", "-c", server.configFile.toString()).out()).contains("node").doesNotContain(token);
    assertThat(run("tokens", "add", "--type", "laptop", "-c", server.configFile.toString()).err()).contains("--type");
    assertThat(run("tokens", "add", "--type", "node", "--ttl", "30d", "-c", server.configFile.toString()).err()).contains("--ttl");

    var generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    String hostKey = dev.portcullis.ssh.ca.SshPublicKeys.toLine(generator.generateKeyPair().getPublic());
    TestBrowser client = new TestBrowser(server.certificate());
    HttpResponse<String> joined = client.send(java.net.http.HttpRequest.newBuilder(
            server.url("portcullis", "/.portcullis/api/v1/nodes/join"))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"name\":\"db-1\","
            + "\"labels\":{\"env\":\"prod\"},\"address\":\"10.1.2.3:22\",\"host_public_key\":\"" + hostKey + "\"}")));
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);

    Run nodes = run("nodes", "ls", "-c", server.configFile.toString());
    assertThat(nodes.out()).contains("db-1").contains("online").contains("10.1.2.3:22").contains("env=prod");
  }

  @Test
  void caExportPrintsWhatTheServerTrustsAndRotationKeepsTheOldKeyUntilRetired() {
    String users = run("ca", "export", "--type", "ssh-user", "-c", server.configFile.toString()).out();
    String hosts = run("ca", "export", "--type", "ssh-host", "-c", server.configFile.toString()).out();
    assertThat(users.lines()).singleElement().satisfies(line -> assertThat(line).startsWith("ssh-ed25519 "));
    assertThat(hosts.lines()).singleElement().satisfies(line -> assertThat(line).startsWith("@cert-authority * ssh-ed25519 "));
    assertThat(server.server().ssh().userCa().trustedPublicKeys()).containsExactly(users.strip());

    Run rotate = run("ca", "rotate", "--type", "ssh-user", "-c", server.configFile.toString());
    assertThat(rotate.exitCode()).as(rotate.err()).isZero();
    assertThat(run("ca", "export", "--type", "ssh-user", "-c", server.configFile.toString()).out().lines()).hasSize(2);
    String oldFingerprint = server.server().ssh().userCa().activeKey().fingerprint();
    assertThat(run("ca", "retire", "--type", "ssh-user", "--fingerprint", oldFingerprint, "-c", server.configFile.toString())
        .exitCode()).isZero();
    assertThat(run("ca", "export", "--type", "ssh-user", "-c", server.configFile.toString()).out().lines()).hasSize(1)
        .noneMatch(line -> line.equals(users.strip()));
    assertThat(run("ca", "export", "--type", "ssh-laptop", "-c", server.configFile.toString()).err()).contains("--type");
  }

  private static Run run(String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

}
