package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.identity.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SSH node decisions, login lists and sudo against {@code ssh-policy.yaml}: deny by default, deny wins. */
class NodePolicyTest {
  static final Instant NOW = Instant.parse("2025-03-04T10:00:00Z");
  static final InetAddress CLIENT = InetAddress.ofLiteral("198.51.100.7");
  static final PortcullisConfig CONFIG = load("/config/ssh-policy.yaml");

  static final Identity ALICE = user("alice", "alice@example.com", List.of("dev"), Map.of("unix_login", "asmith"));
  static final Identity OSCAR = user("oscar", "Oscar@example.com", List.of("dev", "ops"), Map.of());
  static final Identity OLGA = user("olga", "olga@example.com", List.of("ops"), Map.of());
  static final Identity DORA = user("dora", "dora@example.com", List.of("dev", "dba"), Map.of());
  static final Identity VIC = user("vic", "vic@example.com", List.of("viewer"), Map.of());
  static final Identity BOB = user("bob", "bob@example.com", List.of(), Map.of());
  static final Identity CLARA = user("clara", "clara@example.com", List.of("ops", "contractor"),
      Map.of("blocked", List.of("ops", "root")));

  static final NodeResource WEB_DEV = new NodeResource("web-dev", Map.of("env", "dev"));
  static final NodeResource WEB_STAGING = new NodeResource("web-staging", Map.of("env", "staging-eu"));
  static final NodeResource DB_PROD = new NodeResource("db-prod", Map.of("env", "prod", "role", "db"));
  static final NodeResource DB_DEV = new NodeResource("db-dev", Map.of("env", "dev", "role", "db"));
  static final NodeResource BARE = new NodeResource("bare", Map.of());

  final PolicyEngine engine = new PolicyEngine(PolicySnapshot.of(CONFIG));

  static PortcullisConfig load(String resource) {
    try (InputStream in = NodePolicyTest.class.getResourceAsStream(resource)) {
      return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, Map.of());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Identity user(String name, String email, List<String> groups, Map<String, Object> claims) {
    return new Identity(name, email, groups, claims, "corp", "sub-" + name);
  }

  Decision ssh(Identity identity, String login, NodeResource node) {
    return engine.decide(AccessRequest.ssh(identity, node, login, CLIENT, NOW));
  }

  static Reason last(Decision decision) {
    return decision.reasons().getLast();
  }

  @Test
  void allowsALoginThatARoleGrantsOnANodeItsLabelsSelect() {
    Decision decision = ssh(ALICE, "ubuntu", WEB_DEV);

    assertThat(decision).isEqualTo(new Decision.Allow(List.of("dev"), List.of(
        new Reason("mapping", "role_mappings[0] grants [dev] to user alice: groups [dev]"),
        new Reason("node-allow", "role dev allows login ubuntu on node web-dev by labels env=dev"))));
  }

  @Test
  void nodeLabelValuesMayUseWildcardsAndTemplatesGiveLogins() {
    assertThat(last(ssh(ALICE, "asmith", WEB_STAGING))).isEqualTo(
        new Reason("node-allow", "role dev allows login asmith on node web-staging by labels env=staging-eu"));
    assertThat(ssh(ALICE, "alice", WEB_STAGING).allowed()).as("{{email.local}}").isTrue();
  }

  @Test
  void deniesALoginThatNoGrantingRoleLists() {
    Decision decision = ssh(ALICE, "postgres", WEB_DEV);

    assertThat(decision.allowed()).isFalse();
    assertThat(last(decision)).isEqualTo(new Reason("login-not-granted",
        "roles [dev] grant node web-dev but not login postgres (logins there: [alice, asmith, ubuntu])"));
  }

  @Test
  void aLoginFromARoleThatDoesNotGrantTheNodeIsNotEnough() {
    // dora's dba role lists postgres but only grants role=db nodes; dev grants web-dev without postgres.
    assertThat(last(ssh(DORA, "postgres", WEB_DEV)).code()).isEqualTo("login-not-granted");
    assertThat(ssh(DORA, "postgres", DB_DEV).allowed()).isTrue();
  }

  @Test
  void deniesByDefaultWhenNoRoleGrantsTheNode() {
    assertThat(last(ssh(ALICE, "ubuntu", BARE))).isEqualTo(new Reason("no-role-grants-node",
        "roles [dev] of user alice grant no access to node bare (labels none)"));
    assertThat(ssh(BOB, "bob", WEB_DEV).reasons()).containsExactly(
        new Reason("no-role-grants-node", "user bob has no roles: no role mapping matched"));
    assertThat(last(ssh(VIC, "vic", WEB_DEV))).as("an app-only role grants no node").isEqualTo(new Reason(
        "no-role-grants-node", "roles [viewer] of user vic grant no access to node web-dev (labels env=dev)"));
  }

  @Test
  void nodeDenyOfOneRoleWinsOverAnotherRolesWildcardAllow() {
    Decision decision = ssh(OSCAR, "ops", DB_PROD);

    assertThat(decision.allowed()).isFalse();
    assertThat(last(decision)).isEqualTo(new Reason("node-deny", "role dev denies node db-prod by labels env=prod"));
    assertThat(last(ssh(OLGA, "ops", DB_PROD))).as("ops alone may")
        .isEqualTo(new Reason("node-allow", "role ops allows login ops on node db-prod by labels '*'"));
  }

  @Test
  void loginDenyOfOneRoleWinsOverAnotherRolesAllow() {
    Decision decision = ssh(OSCAR, "root", WEB_DEV);

    assertThat(decision.allowed()).isFalse();
    assertThat(last(decision)).isEqualTo(new Reason("login-deny", "role dev denies login root"));
    assertThat(ssh(OLGA, "root", WEB_DEV).allowed()).as("ops alone may").isTrue();
  }

  @Test
  void deniedLoginsMayBeTemplates() {
    assertThat(last(ssh(CLARA, "ops", WEB_DEV))).isEqualTo(new Reason("login-deny", "role contractor denies login ops"));
    assertThat(ssh(CLARA, "root", WEB_DEV).allowed()).isFalse();
    assertThat(ssh(CLARA, "clara", WEB_DEV).allowed()).isTrue();
  }

  @Test
  void malformedLoginIsDeniedAndNeverFoldedIntoAGrantedOne() {
    assertThat(last(ssh(OLGA, "Root", WEB_DEV))).isEqualTo(new Reason("login-invalid",
        "login \"Root\" is not a valid login (expected: [a-z_][a-z0-9_-]{0,31})"));
    assertThat(last(ssh(OLGA, "root\n", WEB_DEV)).detail()).startsWith("login \"root\\n\" is not a valid login");
    assertThat(last(ssh(OLGA, "x".repeat(500), WEB_DEV)).detail()).hasSizeLessThan(120);
  }

  @Test
  void deniesAnAnonymousNodeRequest() {
    Decision decision = engine.decide(new AccessRequest(Optional.empty(), WEB_DEV, "ubuntu", "/", CLIENT, NOW));

    assertThat(decision.reasons()).containsExactly(new Reason("user-unauthenticated", "node web-dev requires sign-in"));
  }

  @Test
  void loginsForUnitesGrantingRolesAndSubtractsEveryDeniedLogin() {
    PolicySnapshot snapshot = engine.snapshot();

    assertThat(snapshot.loginsFor(ALICE, WEB_DEV)).containsExactly("alice", "asmith", "ubuntu");
    assertThat(snapshot.loginsFor(OSCAR, WEB_DEV)).as("root is granted by ops but denied by dev")
        .containsExactly("ops", "oscar", "ubuntu");
    assertThat(snapshot.loginsFor(DORA, DB_DEV)).containsExactly("dora", "postgres", "ubuntu");
    assertThat(snapshot.loginsFor(CLARA, WEB_DEV)).containsExactly("clara");
  }

  @Test
  void loginsForIsEmptyWhereTheNodeIsDeniedOrNotGranted() {
    assertThat(engine.loginsFor(OSCAR, DB_PROD)).isEmpty();
    assertThat(engine.loginsFor(OLGA, DB_PROD)).containsExactly("olga", "ops", "root");
    assertThat(engine.loginsFor(ALICE, BARE)).isEmpty();
    assertThat(engine.loginsFor(BOB, WEB_DEV)).isEmpty();
  }

  @Test
  void loginsForAgreesWithDecide() {
    for (Identity identity : List.of(ALICE, OSCAR, OLGA, DORA, VIC, BOB, CLARA)) {
      for (NodeResource node : List.of(WEB_DEV, WEB_STAGING, DB_PROD, DB_DEV, BARE)) {
        for (String login : List.of("ubuntu", "root", "ops", "postgres", "alice", "asmith", "oscar", "olga", "dora",
            "clara", "vic", "bob")) {
          assertThat(ssh(identity, login, node).allowed())
              .as(identity.username() + " as " + login + " on " + node.name())
              .isEqualTo(engine.loginsFor(identity, node).contains(login));
        }
      }
    }
  }

  @Test
  void sudoComesOnlyWithTheLoginsOfARoleThatGrantsIt() {
    assertThat(engine.sudoFor(OLGA, WEB_DEV, "root")).isTrue();
    assertThat(engine.sudoFor(OLGA, WEB_DEV, "olga")).isTrue();
    assertThat(engine.sudoFor(ALICE, WEB_DEV, "ubuntu")).as("dev has no sudo").isFalse();
    assertThat(engine.sudoFor(DORA, DB_DEV, "postgres")).isTrue();
    assertThat(engine.sudoFor(DORA, DB_DEV, "ubuntu")).as("ubuntu comes from dev, which has no sudo").isFalse();
    assertThat(engine.sudoFor(DORA, WEB_DEV, "postgres")).as("dba does not grant web-dev").isFalse();
  }

  @Test
  void sudoIsWithdrawnWhereverADenyApplies() {
    assertThat(engine.sudoFor(OSCAR, WEB_DEV, "ops")).isTrue();
    assertThat(engine.sudoFor(OSCAR, WEB_DEV, "root")).as("login denied by dev").isFalse();
    assertThat(engine.sudoFor(OSCAR, DB_PROD, "ops")).as("node denied by dev").isFalse();
    assertThat(engine.sudoFor(CLARA, WEB_DEV, "ops")).as("login denied by a template").isFalse();
    assertThat(engine.sudoFor(OLGA, WEB_DEV, "Root")).isFalse();
  }

  @Test
  void updateSwapsTheSshPolicyForLaterQuestions() {
    assertThat(engine.loginsFor(ALICE, BARE)).isEmpty();
    PortcullisConfig opened = ConfigLoader.parse("""
        server:
          public_url: https://portcullis.localhost:8443
        identity_providers:
          - {name: corp, type: oidc, issuer: https://idp.example.com, client_id: portcullis}
        roles:
          - name: dev
            allow: {node_labels: {'*': ['*']}, logins: [deploy]}
        role_mappings:
          - {groups: [dev], roles: [dev]}
        """, "opened.yaml", Map.of());

    engine.update(PolicySnapshot.of(opened));

    assertThat(engine.loginsFor(ALICE, BARE)).containsExactly("deploy");
  }
}
