package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.node.agent.NodeAgentException;
import dev.portcullis.server.TestServer;
import dev.portcullis.testing.openssh.Command;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SSH access as people use it, with nothing scripted: an admin enrolls a node with a token from
 * {@code portcullis tokens add}, the node agent's join configures a real sshd, alice signs in with the real
 * CLI, and the real ssh client logs in with the config block {@code portcullis ssh-config} printed. At every
 * login sshd asks the real server, through the agent's principals command, whether alice may use that account
 * on that node now; locks and labels take effect there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshAccessEndToEndTest {

  private static final String CONFIG = SshFixture.SERVER + """
      identity_providers:
        - name: local
          type: local
          users:
            - username: alice
              email: alice@example.com
              groups: [dev]
              password_hash: "{HASH}"
      roles:
        - name: dev
          allow:
            node_labels: {env: [dev]}
            logins: [{LOGIN}]
          options:
            max_session_ttl: 2h
      role_mappings:
        - groups: [dev]
          roles: [dev]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;

  /** alice's login: a throwaway account name, so no real account is ever touched. */
  private String login;
  private SshFixture fixture;
  private CliUser alice;

  @BeforeAll
  void enrollANodeAndSignAliceIn() throws Exception {
    RealHost.require();
    login = RealHost.throwawayName("pce2e");
    fixture = SshFixture.start(CONFIG.replace("{LOGIN}", login));
    alice = fixture.user("alice");
    CliUser.Run signedIn = alice.login(TestServer.PASSWORD + "\n", "--proxy", fixture.proxy().toString(),
        "--user", "alice", "--password-stdin");
    assertThat(signedIn.exitCode()).as(signedIn::describe).isZero();
    // The agent creates alice's account once the server knows her (she holds a certificate).
    assertThat(fixture.web1.heartbeat().accounts().orElseThrow().created()).containsExactly(login);
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aTokenFromTheAdminCliEnrollsTheNodeOnceAndNodesLsListsItWithItsLabels() throws Exception {
    assertThat(fixture.web1Joined.hostNames()).contains("web-1", "127.0.0.1");
    assertThat(fixture.web1Joined.reload()).hasValueSatisfying(how -> assertThat(how).startsWith("SIGHUP to sshd"));
    // sshd runs with what join wrote into the included drop-in: it trusts the user CA and asks the server.
    Command.Result effective = RealHost.run("/usr/sbin/sshd", "-T", "-f", fixture.web1.paths.sshdConfig().toString());
    assertThat(effective.stdout()).contains("authorizedprincipalscommand " + fixture.launcher + " node principals")
        .contains("trustedusercakeys " + fixture.web1.paths.userCaKeys());
    assertThat(Files.readAllLines(fixture.web1.paths.userCaKeys()))
        .containsAll(fixture.server.server().ssh().userCa().trustedPublicKeys());

    CliUser.Run nodes = fixture.admin("nodes", "ls");
    assertThat(nodes.exitCode()).as(nodes::describe).isZero();
    assertThat(nodes.out().lines().filter(line -> line.startsWith("web-1 "))).singleElement().asString()
        .contains("online").contains("127.0.0.1:" + fixture.web1.sshd.port()).contains("env=dev");

    assertThatThrownBy(() -> fixture.web1.join(fixture.proxy(), fixture.web1Token, Map.of("env", "prod"),
        fixture.launcher, fixture.principalsUser))
        .isInstanceOf(NodeAgentException.class).hasMessageContaining("refused the join token");
    assertThat(fixture.audit("node.join.failed")).isNotEmpty();
    assertThat(fixture.admin("nodes", "ls").out()).doesNotContain("env=prod");
  }

  @Test
  void theCliLoginAndItsSshConfigLogAliceInTrustingTheHostOnlyThroughItsCertificate() throws Exception {
    int mark = fixture.web1.sshd.logMark();

    Command.Result ssh = alice.ssh(fixture.web1.sshd.port(), login, "id", "-un");

    assertThat(ssh.exitCode()).as(() -> ssh.describe() + "\n" + fixture.web1.logSince(mark)).isZero();
    assertThat(ssh.stdout()).isEqualTo(login + "\n");
    assertThat(fixture.web1.sshd.awaitLog(mark, "Accepted publickey for " + login, Duration.ofSeconds(5))).isTrue();
    assertThat(fixture.web1.sshd.logSince(mark)).anyMatch(line -> line.contains("Accepted certificate ID \"alice@local\""));
    // StrictHostKeyChecking=yes and nothing known but the host CA: only the host certificate from join vouched.
    assertThat(Files.readAllLines(alice.knownHosts()))
        .containsExactlyElementsOf(fixture.server.server().ssh().hostCa().knownHostsLines("*"))
        .singleElement().asString().startsWith("@cert-authority * ");
  }

  @Test
  void refusesRootThoughTheCertificateIsValidAndSshdPermitsRootByCertificate() {
    int mark = fixture.web1.sshd.logMark();

    Command.Result ssh = sshAsAlice(fixture.web1, "root");

    assertRefusedByPrincipals(fixture.web1, mark, ssh);
    Command.Result asked = fixture.web1.principals(fixture.launcher, "root", "alice@local");
    assertThat(asked.exitCode()).as(asked::describe).isZero();
    assertThat(asked.stdout()).isEmpty();
  }

  @Test
  void refusesAliceOnANodeWhoseLabelsNoRoleOfHersGrants() throws Exception {
    TestNode db1 = fixture.joinNode("db-1", Map.of("env", "prod"));
    assertThat(fixture.admin("nodes", "ls").out().lines().filter(line -> line.startsWith("db-1 ")))
        .singleElement().asString().contains("env=prod");
    int mark = db1.sshd.logMark();

    // The same certificate and account that work on web-1 (env=dev).
    Command.Result onDb1 = sshAsAlice(db1, login);

    assertRefusedByPrincipals(db1, mark, onDb1);
    assertThat(sshAsAlice(fixture.web1, login).exitCode()).isZero();
  }

  @Test
  void lockingAliceRefusesHerNextLoginAndNewCertificatesUntilSheIsUnlocked() throws Exception {
    assertThat(sshAsAlice(fixture.web1, login).exitCode()).isZero();
    HttpResponse<String> beforeLock = alice.requestCertificateWithStoredToken(fixture.proxy());
    assertThat(beforeLock.statusCode()).as(beforeLock.body()).isEqualTo(200);

    long issuedBefore = certificatesIssuedToAlice();
    CliUser.Run lock = fixture.admin("users", "lock", "alice", "--reason", "laptop stolen");
    assertThat(lock.exitCode()).as(lock::describe).isZero();
    try {
      int mark = fixture.web1.sshd.logMark();
      long started = System.nanoTime();
      Command.Result locked = sshAsAlice(fixture.web1, login);
      assertRefusedByPrincipals(fixture.web1, mark, locked);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

      CliUser.Run again = fixture.user("alice-again").login(TestServer.PASSWORD + "\n", "--proxy",
          fixture.proxy().toString(), "--user", "alice", "--password-stdin");
      assertThat(again.exitCode()).as(again::describe).isNotZero();
      assertThat(again.err()).contains("locked");
      HttpResponse<String> withOldToken = alice.requestCertificateWithStoredToken(fixture.proxy());
      assertThat(withOldToken.statusCode()).as(withOldToken.body()).isIn(401, 403);
      assertThat(withOldToken.body()).doesNotContain("certificate\"");
      assertThat(certificatesIssuedToAlice()).isEqualTo(issuedBefore);
    } finally {
      CliUser.Run unlock = fixture.admin("users", "unlock", "alice");
      assertThat(unlock.exitCode()).as(unlock::describe).isZero();
    }

    int mark = fixture.web1.sshd.logMark();
    Command.Result unlocked = sshAsAlice(fixture.web1, login);
    assertThat(unlocked.exitCode()).as(() -> unlocked.describe() + "\n" + fixture.web1.logSince(mark)).isZero();
    CliUser.Run fresh = fixture.user("alice-fresh").login(TestServer.PASSWORD + "\n", "--proxy",
        fixture.proxy().toString(), "--user", "alice", "--password-stdin");
    assertThat(fresh.exitCode()).as(fresh::describe).isZero();
  }

  private long certificatesIssuedToAlice() {
    return fixture.audit("cert.issued").stream().filter(e -> e.event().user().equals("alice")).count();
  }

  private Command.Result sshAsAlice(TestNode node, String login) {
    try {
      return alice.ssh(node.sshd.port(), login, "true");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Refused because the principals command (the server) allowed nothing: sshd trusted the certificate, ran the
   * command successfully, and found none of its principals in the answer. Without the command sshd would have
   * accepted any login the certificate lists.
   */
  static void assertRefusedByPrincipals(TestNode node, int mark, Command.Result result) {
    assertThat(result.exitCode()).as(result::describe).isEqualTo(255);
    assertThat(result.stderr()).as(result::describe).contains("Permission denied (publickey)");
    assertThat(node.sshd.awaitLog(mark, "Certificate does not contain an authorized principal", Duration.ofSeconds(5)))
        .as(() -> node.logSince(mark)).isTrue();
    List<String> log = node.sshd.logSince(mark);
    assertThat(log).as(() -> node.logSince(mark)).noneMatch(line -> line.contains("Accepted publickey"))
        .noneMatch(line -> line.contains("AuthorizedPrincipalsCommand") && line.contains("failed"));
  }
}
