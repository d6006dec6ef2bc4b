package dev.portcullis.policy;

import static dev.portcullis.policy.NodePolicyTest.ALICE;
import static dev.portcullis.policy.NodePolicyTest.BOB;
import static dev.portcullis.policy.NodePolicyTest.CLARA;
import static dev.portcullis.policy.NodePolicyTest.CONFIG;
import static dev.portcullis.policy.NodePolicyTest.DORA;
import static dev.portcullis.policy.NodePolicyTest.OSCAR;
import static dev.portcullis.policy.NodePolicyTest.VIC;
import static dev.portcullis.policy.NodePolicyTest.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What certificate a user may get: principals, TTL and forwarding, from {@code ssh-policy.yaml}. */
class SshGrantTest {
  final PolicySnapshot snapshot = PolicySnapshot.of(CONFIG);

  @Test
  void principalsAreEveryRolesLoginsMinusEveryDeniedLogin() {
    SshGrant grant = snapshot.sshGrant(OSCAR);

    assertThat(grant.granted()).isTrue();
    assertThat(grant.roles()).containsExactly("dev", "ops");
    assertThat(grant.logins()).as("root is granted by ops but denied by dev").containsExactly("ops", "oscar", "ubuntu");
    assertThat(snapshot.sshGrant(CLARA).logins()).as("denied through a claim template").containsExactly("clara");
  }

  @Test
  void principalsDoNotDependOnNodes() {
    // dba grants postgres only on role=db nodes; the certificate still carries it, the node decides.
    assertThat(snapshot.sshGrant(DORA).logins()).containsExactly("dora", "postgres", "ubuntu");
  }

  @Test
  void ttlIsTheSmallestAmongTheRoles() {
    assertThat(snapshot.sshGrant(OSCAR).maxSessionTtl()).contains(Duration.ofHours(1));
    assertThat(snapshot.sshGrant(ALICE).maxSessionTtl()).contains(Duration.ofHours(8));
    assertThat(snapshot.sshGrant(user("val", "val@example.com", List.of("dev", "viewer"), Map.of())).maxSessionTtl())
        .as("a role without logins still caps the TTL").contains(Duration.ofMinutes(30));
  }

  @Test
  void forwardingIsGrantedWhenAnyRoleAllowsIt() {
    SshGrant oscar = snapshot.sshGrant(OSCAR);
    SshGrant dora = snapshot.sshGrant(DORA);
    SshGrant alice = snapshot.sshGrant(ALICE);

    assertThat(List.of(oscar.portForwarding(), oscar.agentForwarding(), oscar.x11Forwarding()))
        .containsExactly(true, true, false);
    assertThat(List.of(dora.portForwarding(), dora.agentForwarding(), dora.x11Forwarding()))
        .containsExactly(true, false, true);
    assertThat(List.of(alice.portForwarding(), alice.agentForwarding(), alice.x11Forwarding()))
        .containsExactly(true, false, false);
  }

  @Test
  void forwardingIsOffWhenNoRoleAllowsIt() {
    SshGrant olga = snapshot.sshGrant(NodePolicyTest.OLGA);

    assertThat(olga.portForwarding()).isFalse();
    assertThat(olga.x11Forwarding()).isFalse();
    assertThat(olga.agentForwarding()).isTrue();
  }

  @Test
  void userWithoutLoginsIsRefusedWithAReason() {
    SshGrant viewer = snapshot.sshGrant(VIC);
    SshGrant nobody = snapshot.sshGrant(BOB);

    assertThat(viewer.granted()).isFalse();
    assertThat(viewer.logins()).isEmpty();
    assertThat(viewer.reasons().getLast())
        .isEqualTo(new Reason("no-logins", "roles [viewer] of user vic grant no SSH logins"));
    assertThat(nobody.granted()).isFalse();
    assertThat(nobody.maxSessionTtl()).isEmpty();
    assertThat(nobody.reasons()).containsExactly(
        new Reason("no-logins", "user bob has no roles: no role mapping matched"));
  }

  @Test
  void everyLoginDeniedMeansNoCertificate() {
    SshGrant grant = snapshot.sshGrant(user("carl", "carl@example.com", List.of("ops", "contractor"),
        Map.of("blocked", List.of("root", "ops", "carl"))));

    assertThat(grant.granted()).isFalse();
    assertThat(grant.reasons().getLast()).isEqualTo(
        new Reason("no-logins", "roles [contractor, ops] of user carl leave no SSH login: each one is denied or"
            + " not a valid login"));
  }

  @Test
  void everyLoginInvalidMeansNoCertificate() {
    SshGrant grant = snapshot.sshGrant(user("Zed", "Zed.Z@example.com", List.of("ops", "contractor"),
        Map.of("blocked", List.of("root", "ops"))));

    assertThat(grant.granted()).isFalse();
    assertThat(grant.reasons()).extracting(Reason::code).containsSubsequence("login-dropped", "no-logins");
  }

  @Test
  void reasonsNameTheMappingsTheLoginsAndWhatWasDroppedWithoutEchoingIt() {
    SshGrant grant = snapshot.sshGrant(user("alice", "Alice.Smith@example.com", List.of("dev"),
        Map.of("unix_login", "Root!")));

    assertThat(grant.logins()).containsExactly("ubuntu");
    assertThat(grant.reasons()).containsExactly(
        new Reason("mapping", "role_mappings[0] grants [dev] to user alice: groups [dev]"),
        new Reason("login-grant", "role dev grants logins [ubuntu]"),
        new Reason("login-deny", "role dev denies logins [root]"),
        new Reason("login-dropped", "role dev allow: {{email.local}} gave 1 value that is not a valid login"),
        new Reason("login-dropped", "role dev allow: {{external.unix_login}} gave 1 value that is not a valid login"));
  }
}
