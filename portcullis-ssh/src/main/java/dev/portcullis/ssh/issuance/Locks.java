package dev.portcullis.ssh.issuance;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.NodeResource;
import java.util.Optional;

/**
 * The locks that issuance and node checks must honour, declared here so that the lock store can live
 * elsewhere. Implementations must be cheap and must not throw: they run on every issuance and on every
 * SSH login to every node.
 */
public interface Locks {
  /** No locks at all. */
  Locks NONE = new Locks() {
    @Override
    public Optional<String> lockOn(Identity identity) {
      return Optional.empty();
    }
  };

  /**
   * Why {@code identity} may not use SSH now (a lock on the user or on one of their roles), or empty.
   * The text goes into audit reasons: say who locked and why, never a secret.
   */
  Optional<String> lockOn(Identity identity);

  /** Why nobody may log in to {@code node} now, or empty. By default nodes are never locked. */
  default Optional<String> lockOn(NodeResource node) {
    return Optional.empty();
  }
}
