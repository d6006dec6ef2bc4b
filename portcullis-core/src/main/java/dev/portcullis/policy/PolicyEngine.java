package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every access, deny by default. {@link #decide} is pure: no I/O, time from the request, and
 * one snapshot per call even while {@link #update} swaps in a new policy after a config reload.
 *
 * <p>Apps: a public app or public path allows; no identity denies; a role's deny labels deny; no
 * role's allow labels deny; an app deny rule denies; when allow rules exist one must match.
 *
 * <p>SSH nodes ({@link AccessRequest#ssh}): no identity or a malformed login denies; a role's
 * {@code deny.node_labels} or {@code deny.logins} deny; else some role must grant the node by
 * {@code allow.node_labels} and list the login.
 */
public final class PolicyEngine {
  private static final Logger log = LoggerFactory.getLogger(PolicyEngine.class);

  private final AtomicReference<PolicySnapshot> snapshot;

  public PolicyEngine(PolicySnapshot snapshot) {
    this.snapshot = new AtomicReference<>(requireNonNull(snapshot, "snapshot"));
  }

  /** Decides {@code request} against the current snapshot. Never throws: a bug in policy code denies. */
  public Decision decide(AccessRequest request) {
    requireNonNull(request, "request");
    PolicySnapshot current = snapshot.get();
    try {
      return current.decide(request);
    } catch (RuntimeException e) {
      log.error("Policy evaluation failed for {}; denying", request.resource().id(), e);
      return new Decision.Deny(List.of(new Reason(Reason.POLICY_ERROR, "policy evaluation failed: " + e)));
    }
  }

  /** {@link PolicySnapshot#loginsFor} on the current snapshot; a bug in policy code gives no logins. */
  public List<String> loginsFor(Identity identity, NodeResource node) {
    requireNonNull(identity, "identity");
    requireNonNull(node, "node");
    try {
      return snapshot.get().loginsFor(identity, node);
    } catch (RuntimeException e) {
      log.error("Policy evaluation failed for {} on {}; no logins", identity.username(), node.id(), e);
      return List.of();
    }
  }

  /** {@link PolicySnapshot#sudoFor} on the current snapshot; a bug in policy code gives no sudo. */
  public boolean sudoFor(Identity identity, NodeResource node, String login) {
    requireNonNull(identity, "identity");
    requireNonNull(node, "node");
    requireNonNull(login, "login");
    try {
      return snapshot.get().sudoFor(identity, node, login);
    } catch (RuntimeException e) {
      log.error("Policy evaluation failed for {} on {}; no sudo", identity.username(), node.id(), e);
      return false;
    }
  }

  public PolicySnapshot snapshot() {
    return snapshot.get();
  }

  /** Swaps in {@code next}; decisions already running finish on the snapshot they started with. */
  public void update(PolicySnapshot next) {
    snapshot.set(requireNonNull(next, "next"));
  }
}
