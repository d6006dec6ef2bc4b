package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.node.accounts.ReconcileReport;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node agent's heartbeat ({@code portcullis node run --once}) against the real server: it creates the local
 * accounts that alice's roles grant on the node, with sudo only where a role grants it (checked with the real
 * sudo, over ssh), and removes them when a configuration reload stops granting them or when alice is locked.
 * Every account name is a throwaway one, removed after the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeAccountsEndToEndTest {

  private static final String CONFIG = SshFixture.SERVER + """
      identity_providers:
        - name: local
          type: local
          users:
      {ALICE}
            - username: bob
              groups: [sales]
              password_hash: "{HASH}"
      roles:
        - name: dev
          allow:
            node_labels: {env: [dev]}
            logins: [{LOGIN}]
        - name: ops
          allow:
            node_labels: {env: [dev]}
            logins: [{OPS}]
            sudo: true
      role_mappings:
        - groups: [dev]
          roles: [dev]
      {OPS_MAPPING}
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;
  private static final String OPS_MAPPING = "  - groups: [ops]\n    roles: [ops]\n";
  /** Listed under {@code users:} of CONFIG, unless deleted. */
  private static final String ALICE = """
            - username: alice
              email: alice@example.com
              groups: [{GROUPS}]
              password_hash: "{HASH}"
      """;

  private static final String ALICE_GROUPS = "dev, ops";

  private String login;
  private String ops;
  private SshFixture fixture;
  private CliUser alice;

  @BeforeAll
  void signAliceInOnAnEnrolledNode() throws Exception {
    RealHost.require();
    login = RealHost.throwawayName("pce2e");
    ops = RealHost.throwawayName("pce2e");
    fixture = SshFixture.start(config(true, ALICE_GROUPS));
    alice = fixture.user("alice");
    CliUser.Run signedIn = fixture.passwordLogin(alice, "alice");
    assertThat(signedIn.exitCode()).as(signedIn::describe).isZero();
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void createsTheAccountsAlicesRolesGrantWithSudoOnlyWhereARoleGrantsIt() throws Exception {
    heartbeat();

    assertThat(RealHost.accountExists(login)).isTrue();
    assertThat(RealHost.accountExists(ops)).isTrue();
    assertThat(RealHost.sudoRule(ops)).hasValueSatisfying(rule -> assertThat(rule).contains(ops + " ALL=(ALL:ALL) NOPASSWD:ALL"));
    assertThat(RealHost.sudoRule(login)).isEmpty();
    // The real sudo decides, in a real login session through the whole chain.
    SshAttempt asOps = fixture.web1.ssh(alice, ops, "sudo", "-n", "id", "-un").assertLoggedIn("alice@local");
    assertThat(asOps.stdout()).isEqualTo("root\n");
    SshAttempt asDev = fixture.web1.ssh(alice, login, "sudo", "-n", "id", "-un");
    assertThat(asDev.result().stderr()).as(asDev.result()::describe).contains("sudo: a password is required");
    assertThat(asDev.result().exitCode()).as(asDev.result()::describe).isEqualTo(1);
    assertThat(asDev.stdout()).isEmpty();
  }

  @Test
  void removesAnAccountAndItsSudoRuleOnceAReloadedRoleMappingNoLongerGrantsIt() throws Exception {
    heartbeat();
    assertThat(RealHost.sudoRule(ops)).isPresent();
    try {
      fixture.reconfigure(config(false, ALICE_GROUPS));
      // The principals check follows the reloaded roles at once, before the agent even runs.
      fixture.web1.ssh(alice, ops, "true").assertRefusedByPrincipals();

      ReconcileReport report = heartbeat();

      assertThat(report.removed()).containsExactly(ops);
      assertThat(report.sudoRevoked()).containsExactly(ops);
      assertThat(RealHost.accountExists(ops)).isFalse();
      assertThat(RealHost.sudoRule(ops)).isEmpty();
      assertThat(RealHost.accountExists(login)).isTrue();
    } finally {
      fixture.reconfigure(config(true, ALICE_GROUPS));
    }
    assertThat(heartbeat().created()).containsExactly(ops);
    assertThat(RealHost.sudoRule(ops)).isPresent();
  }

  @Test
  void removesAlicesAccountsWhenSheIsLockedAndRecreatesThemWhenSheIsUnlocked() throws Exception {
    heartbeat();
    CliUser.Run lock = fixture.admin("users", "lock", "alice", "--reason", "left the company");
    assertThat(lock.exitCode()).as(lock::describe).isZero();
    ReconcileReport locked;
    try {
      locked = heartbeat();
    } finally {
      assertThat(fixture.admin("users", "unlock", "alice").exitCode()).isZero();
    }

    assertThat(locked.removed()).containsExactlyInAnyOrder(login, ops);
    assertThat(locked.sudoRevoked()).containsExactly(ops);
    assertThat(RealHost.accountExists(login)).isFalse();
    assertThat(RealHost.accountExists(ops)).isFalse();
    assertThat(RealHost.sudoRule(ops)).isEmpty();

    ReconcileReport unlocked = heartbeat();
    assertThat(unlocked.created()).containsExactlyInAnyOrder(login, ops);
    assertThat(unlocked.sudoGranted()).containsExactly(ops);
    fixture.web1.ssh(alice, login, "true").assertLoggedIn("alice@local");
  }

  @Test
  void refusesAliceAndRemovesHerAccountsOnceSheIsDeletedFromTheLocalUsers() throws Exception {
    heartbeat();
    try {
      fixture.reconfigure(config(true, null));
      // Her certificate is still valid, but the server no longer knows her: no node may let her in.
      fixture.web1.ssh(alice, login, "true").assertRefusedByPrincipals();
      // Nor does the session her laptop still holds get her a new certificate.
      HttpResponse<String> renewal = alice.requestCertificateWithStoredToken(fixture.proxy());
      assertThat(renewal.statusCode()).as(renewal.body()).isEqualTo(401);

      ReconcileReport deleted = heartbeat();

      assertThat(deleted.removed()).containsExactlyInAnyOrder(login, ops);
      assertThat(deleted.sudoRevoked()).containsExactly(ops);
      assertThat(RealHost.accountExists(login)).isFalse();
      assertThat(RealHost.sudoRule(ops)).isEmpty();
    } finally {
      fixture.reconfigure(config(true, ALICE_GROUPS));
    }
    assertThat(heartbeat().created()).containsExactlyInAnyOrder(login, ops);
  }

  @Test
  void removesTheOpsAccountOnceAnAdminTakesAliceOutOfTheOpsGroup() throws Exception {
    heartbeat();
    try {
      fixture.reconfigure(config(true, "dev"));
      fixture.web1.ssh(alice, ops, "true").assertRefusedByPrincipals();
      // A certificate from the session her laptop still holds follows her groups as they are now.
      HttpResponse<String> renewal = alice.requestCertificateWithStoredToken(fixture.proxy());
      assertThat(renewal.statusCode()).as(renewal.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(renewal.body()).path("principals").toString())
          .isEqualTo("[\"" + login + "\"]");

      ReconcileReport moved = heartbeat();

      assertThat(moved.removed()).containsExactly(ops);
      assertThat(moved.sudoRevoked()).containsExactly(ops);
      assertThat(RealHost.accountExists(login)).isTrue();
    } finally {
      fixture.reconfigure(config(true, ALICE_GROUPS));
    }
    assertThat(heartbeat().created()).containsExactly(ops);
  }

  /** One heartbeat of the node agent; it must succeed completely. */
  private ReconcileReport heartbeat() throws Exception {
    var result = fixture.web1.heartbeat();
    assertThat(result.ok()).as(result::summary).isTrue();
    return result.accounts().orElseThrow();
  }

  /** The configuration with or without the ops mapping, and alice in {@code aliceGroups} or (null) deleted. */
  private String config(boolean opsMapped, String aliceGroups) {
    return CONFIG.replace("{LOGIN}", login).replace("{OPS}", ops)
        .replace("{OPS_MAPPING}\n", opsMapped ? OPS_MAPPING : "")
        .replace("{ALICE}\n", aliceGroups == null ? "" : ALICE.replace("{GROUPS}", aliceGroups));
  }
}
