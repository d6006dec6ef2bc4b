package dev.portcullis.ssh.issuance;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a node's {@code AuthorizedPrincipalsCommand}: the logins a user may use on that node right now.
 * sshd accepts a certificate only for a login that is both among its principals and in this answer, so
 * a lock or a policy change takes effect at the next connection, whatever certificates are out there.
 */
public final class NodePrincipals {
  private static final Logger log = LoggerFactory.getLogger(NodePrincipals.class);

  private final Locks locks;

  public NodePrincipals(Locks locks) {
    this.locks = requireNonNull(locks, "locks");
  }

  /**
   * The logins {@code identity} may use on {@code node}, sorted ({@link PolicySnapshot#loginsFor}); empty
   * when the user or the node is locked, when a role denies the node, and when evaluation fails.
   */
  public List<String> principalsFor(Identity identity, NodeResource node, PolicySnapshot policy) {
    requireNonNull(identity, "identity");
    requireNonNull(node, "node");
    requireNonNull(policy, "policy");
    try {
      if (locks.lockOn(identity).isPresent() || locks.lockOn(node).isPresent()) {
        return List.of();
      }
      return policy.loginsFor(identity, node);
    } catch (RuntimeException e) {
      log.error("Principals for {} on {} failed; none granted", identity.username(), node.id(), e);
      return List.of();
    }
  }
}
