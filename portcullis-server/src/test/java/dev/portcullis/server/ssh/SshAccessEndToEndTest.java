package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.node.agent.NodeAgentException;
import dev.portcullis.testing.openssh.Command;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
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
    CliUser.Run signedIn = fixture.passwordLogin(alice, "alice");
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

    // nodes ls judges "online" by the real clock; the server's test clock stands still unless set.
    fixture.server.clock.set(Instant.now());
    assertThat(fixture.web1.heartbeat().ok()).isTrue();
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
    SshAttempt ssh = fixture.web1.ssh(alice, login, "id", "-un");

    ssh.assertLoggedIn("alice@local");
    assertThat(ssh.stdout()).isEqualTo(login + "\n");
    // StrictHostKeyChecking=yes and nothing known but the host CA: only the host certificate from join vouched.
    assertThat(Files.readAllLines(alice.knownHosts()))
        .containsExactlyElementsOf(fixture.server.server().ssh().hostCa().knownHostsLines("*"))
        .singleElement().asString().startsWith("@cert-authority * ");
  }

  @Test
  void thePortcullisSshWrapperLogsAliceInWithTheSameCertificate() {
    int mark = fixture.web1.sshd.logMark();

    SshAttempt ssh = new SshAttempt(fixture.web1, mark, alice.portcullisSsh("-p",
        Integer.toString(fixture.web1.sshd.port()), login + "@127.0.0.1", "id", "-un"));

    ssh.assertLoggedIn("alice@local");
    assertThat(ssh.stdout()).isEqualTo(login + "\n");
  }

  @Test
  void refusesRootThoughTheCertificateIsValidAndSshdPermitsRootByCertificate() {
    fixture.web1.ssh(alice, "root", "true").assertRefusedByPrincipals();

    Command.Result asked = fixture.web1.principals(fixture.launcher, "root", "alice@local");
    assertThat(asked.exitCode()).as(asked::describe).isZero();
    assertThat(asked.stdout()).isEmpty();
  }

  @Test
  void refusesAliceOnANodeWhoseLabelsNoRoleOfHersGrants() throws Exception {
    TestNode db1 = fixture.joinNode("db-1", Map.of("env", "prod"));
    assertThat(fixture.admin("nodes", "ls").out().lines().filter(line -> line.startsWith("db-1 ")))
        .singleElement().asString().contains("env=prod");

    // The same certificate and account that work on web-1 (env=dev).
    db1.ssh(alice, login, "true").assertRefusedByPrincipals();

    fixture.web1.ssh(alice, login, "true").assertLoggedIn("alice@local");
  }

  @Test
  void lockingAliceRefusesHerNextLoginAndNewCertificatesUntilSheIsUnlocked() throws Exception {
    fixture.web1.ssh(alice, login, "true").assertLoggedIn("alice@local");
    HttpResponse<String> beforeLock = alice.requestCertificateWithStoredToken(fixture.proxy());
    assertThat(beforeLock.statusCode()).as(beforeLock.body()).isEqualTo(200);
    long issuedBefore = certificatesIssuedToAlice();

    CliUser.Run lock = fixture.admin("users", "lock", "alice", "--reason", "laptop stolen");
    assertThat(lock.exitCode()).as(lock::describe).isZero();
    try {
      // The very next attempt, with the certificate she still holds.
      fixture.web1.ssh(alice, login, "true").assertRefusedByPrincipals();

      CliUser.Run again = fixture.passwordLogin(fixture.user("alice-again"), "alice");
      assertThat(again.exitCode()).as(again::describe).isNotZero();
      assertThat(again.err()).contains("locked");
      HttpResponse<String> withOldToken = alice.requestCertificateWithStoredToken(fixture.proxy());
      assertThat(withOldToken.statusCode()).as(withOldToken.body()).isIn(401, 403);
      assertThat(certificatesIssuedToAlice()).isEqualTo(issuedBefore);
    } finally {
      CliUser.Run unlock = fixture.admin("users", "unlock", "alice");
      assertThat(unlock.exitCode()).as(unlock::describe).isZero();
    }

    fixture.web1.ssh(alice, login, "true").assertLoggedIn("alice@local");
    CliUser.Run fresh = fixture.passwordLogin(fixture.user("alice-fresh"), "alice");
    assertThat(fresh.exitCode()).as(fresh::describe).isZero();
  }

  private long certificatesIssuedToAlice() {
    return fixture.audit("cert.issued").stream().filter(e -> e.event().user().equals("alice")).count();
  }
}
