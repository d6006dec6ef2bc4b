package dev.portcullis.ssh.users;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.ssh.issuance.NodePrincipals;
import java.util.List;
import java.util.Optional;

/**
 * The one answer to "may this certificate's user log in as this login on this node, now": behind sshd's
 * principals command, the bastion and the demo node alike. It judges the user by today's facts (a local user
 * as configured now, an OIDC user as remembered at issuance), today's roles and today's locks.
 */
public final class NodeLogins {
  private final SshUsers users;
  private final NodePrincipals principals;

  public NodeLogins(SshUsers users, NodePrincipals principals) {
    this.users = requireNonNull(users, "users");
    this.principals = requireNonNull(principals, "principals");
  }

  /** The user a certificate's key id names, with their current facts; empty when unknown or removed. */
  public Optional<Identity> currentUser(String keyId, PolicySnapshot policy) {
    return users.byKeyId(keyId).flatMap(remembered -> CurrentUsers.current(remembered, policy.config()));
  }

  /** Every login {@code identity} may use on {@code node} now, sorted; empty when locked or denied. */
  public List<String> loginsFor(Identity identity, NodeResource node, PolicySnapshot policy) {
    return principals.principalsFor(identity, node, policy);
  }

  /** Whether the user named by {@code keyId} may log in as {@code login} on {@code node} now. Fails closed. */
  public boolean allows(String keyId, String login, NodeResource node, PolicySnapshot policy) {
    return currentUser(keyId, policy).map(identity -> loginsFor(identity, node, policy).contains(login)).orElse(false);
  }
}
