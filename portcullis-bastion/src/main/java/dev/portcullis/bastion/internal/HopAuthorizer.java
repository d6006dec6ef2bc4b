package dev.portcullis.bastion.internal;

import dev.portcullis.identity.Identity;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.policy.SshGrant;
import dev.portcullis.ssh.ca.UserExtension;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * The two decisions every way through the bastion makes, in one place so that they cannot drift apart: may this
 * user reach this node at all (the jump of {@code ssh -J}, or the node named in {@code LOGIN@NODE}), and may they
 * log in there as this login now (roles by labels, logins, locks: the decision nodes themselves make). A refusal
 * says what is missing.
 */
final class HopAuthorizer {
  private final BastionContext context;

  HopAuthorizer(BastionContext context) {
    this.context = context;
  }

  /** What was decided: allowed, with what was found, or refused, with why. */
  sealed interface Decision<T> {
    record Allowed<T>(T value) implements Decision<T> {}

    record Refused<T>(String why) implements Decision<T> {}
  }

  /** Whether {@code user} may reach the enrolled node named {@code host}: it exists, and some role grants a login. */
  Decision<NodeRecord> node(BastionUser user, String host) {
    Optional<NodeRecord> node = context.services.nodes().find(host.toLowerCase(Locale.ROOT));
    if (node.isEmpty()) {
      return new Decision.Refused<>("no enrolled node is named '" + UserCertificates.printable(host)
          + "' (portcullis nodes ls lists them)");
    }
    if (context.services.lockedUsers().isLocked(user.username())) {
      return new Decision.Refused<>("user " + user.username() + " is locked");
    }
    NodeResource resource = new NodeResource(node.get().name(), node.get().labels());
    if (context.services.nodeLogins().loginsFor(user.identity(), resource, context.services.policy().get()).isEmpty()) {
      return new Decision.Refused<>(user.username() + " has no login on node " + node.get().name()
          + " (no role grants a node labelled " + node.get().labels() + ")");
    }
    return new Decision.Allowed<>(node.get());
  }

  /**
   * Whether the user of {@code target} may log in as {@code login} on its node now with {@code certificate} (the
   * one their connection authenticated with); if so, the hop every channel of that login shares.
   */
  Decision<InnerHop> login(JumpTarget target, String login, OpenSshCertificate certificate) {
    if (!certificate.getPrincipals().contains(login)) {
      return new Decision.Refused<>("your certificate does not allow login '" + UserCertificates.printable(login)
          + "' (it allows: " + String.join(", ", certificate.getPrincipals()) + ")");
    }
    PolicySnapshot policy = context.services.policy().get();
    Optional<Identity> identity = context.services.nodeLogins().currentUser(target.user().keyId(), policy);
    if (identity.isEmpty()) {
      return new Decision.Refused<>("user " + target.user().username() + " is no longer known");
    }
    if (context.services.lockedUsers().isLocked(identity.get().username())) {
      return new Decision.Refused<>("user " + identity.get().username() + " is locked");
    }
    NodeResource node = new NodeResource(target.node().name(), target.node().labels());
    List<String> logins = context.services.nodeLogins().loginsFor(identity.get(), node, policy);
    if (!logins.contains(login)) {
      return new Decision.Refused<>(identity.get().username() + " may not log in as '" + login + "' on "
          + node.name() + (logins.isEmpty() ? " (no role grants a login on a node labelled " + node.labels() + ")"
          : " (allowed here: " + String.join(", ", logins) + ")"));
    }
    SshGrant grant = policy.sshGrant(identity.get());
    BastionUser user = new BastionUser(identity.get(), target.user().keyId(), target.user().certificate());
    JumpTarget current = new JumpTarget(user, target.node(), target.outer(), target.clientAddress());
    // Only what the bastion carries goes into its certificate for the node: port and agent forwarding.
    EnumSet<UserExtension> forwarding = UserExtension.grantedBy(grant);
    forwarding.retainAll(EnumSet.of(UserExtension.PORT_FORWARDING, UserExtension.AGENT_FORWARDING));
    // The same user, login, node and permissions may take the login that user's previous connection left.
    ParkedConnections.Key reuse = new ParkedConnections.Key(identity.get().username(), user.keyId(),
        current.node().name(), current.node().address(), login, forwarding);
    return new Decision.Allowed<>(new InnerHop(current, login, recorded(identity.get(), policy), forwarding,
        () -> upstream(reuse, () -> context.upstream.connect(current.node(), user, login, forwarding)),
        session -> context.parked.park(reuse, session)));
  }

  /** The login to the node that the user's previous connection left, if it still answers, or a new one. */
  private CompletableFuture<ClientSession> upstream(ParkedConnections.Key reuse,
      Supplier<CompletableFuture<ClientSession>> connect) {
    return context.parked.take(reuse)
        .map(parked -> Upstream.reuseIfAnswering(parked, Upstream.PARKED_ANSWER_TIMEOUT, connect))
        .orElseGet(connect);
  }

  /** Recorded unless every role of the user turns recording off. */
  private static boolean recorded(Identity identity, PolicySnapshot policy) {
    List<String> roles = policy.rolesFor(identity);
    return roles.isEmpty() || roles.stream().map(name -> policy.config().role(name))
        .flatMap(Optional::stream).anyMatch(role -> role.options().records());
  }
}
