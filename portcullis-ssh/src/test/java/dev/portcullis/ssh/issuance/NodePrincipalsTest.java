package dev.portcullis.ssh.issuance;

import static dev.portcullis.ssh.issuance.Fixture.ALICE;
import static dev.portcullis.ssh.issuance.Fixture.OLGA;
import static dev.portcullis.ssh.issuance.Fixture.OSCAR;
import static dev.portcullis.ssh.issuance.Fixture.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.NodeResource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The node-side answer: logins per user and node, none when locked or denied. */
class NodePrincipalsTest {
  static final NodeResource DEV = new NodeResource("web-1", Map.of("env", "dev"));
  static final NodeResource PROD = new NodeResource("db-1", Map.of("env", "prod"));
  static final NodeResource OTHER = new NodeResource("misc", Map.of("env", "qa"));

  final NodePrincipals open = new NodePrincipals(Locks.NONE);

  @Test
  void answersTheLoginsThePolicyGrantsOnThatNode() {
    assertThat(open.principalsFor(ALICE, DEV, POLICY)).containsExactly("alice", "asmith", "ubuntu");
    assertThat(open.principalsFor(OSCAR, DEV, POLICY)).as("root denied by dev").containsExactly("oscar", "ubuntu");
    assertThat(open.principalsFor(OLGA, PROD, POLICY)).containsExactly("olga", "root");
  }

  @Test
  void answersNothingWhereTheNodeIsDeniedOrNotGranted() {
    assertThat(open.principalsFor(OSCAR, PROD, POLICY)).as("dev denies env=prod, whatever ops allows").isEmpty();
    assertThat(open.principalsFor(ALICE, OTHER, POLICY)).isEmpty();
  }

  @Test
  void lockedUserOrNodeGetsNothingAtOnce() {
    NodePrincipals locked = new NodePrincipals(new Locks() {
      @Override
      public Optional<String> lockOn(Identity identity) {
        return identity.username().equals("alice") ? Optional.of("locked") : Optional.empty();
      }

      @Override
      public Optional<String> lockOn(NodeResource node) {
        return node.name().equals("db-1") ? Optional.of("maintenance") : Optional.empty();
      }
    });

    assertThat(locked.principalsFor(ALICE, DEV, POLICY)).isEmpty();
    assertThat(locked.principalsFor(OLGA, PROD, POLICY)).isEmpty();
    assertThat(locked.principalsFor(OLGA, DEV, POLICY)).containsExactly("olga", "root");
  }

  @Test
  void aFailingLockCheckFailsClosed() {
    NodePrincipals broken = new NodePrincipals(identity -> {
      throw new IllegalStateException("lock store unavailable");
    });

    assertThat(broken.principalsFor(OLGA, DEV, POLICY)).isEmpty();
  }
}
