package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.policy.SshGrant;
import dev.portcullis.ssh.ca.UserExtension;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Authorizes the login of a hop: the client must present the very certificate its outer connection
 * authenticated with, the login must be one of its principals, and the user must be allowed that login on that
 * node now (roles by labels, logins, locks: the decision nodes themselves make). A refusal says what is missing.
 */
final class InnerAuthenticator implements PublickeyAuthenticator {
  private static final AttributeKey<String> REFUSAL_AUDITED = new AttributeKey<>();

  private final BastionContext context;
  private final UserCertificates certificates;

  InnerAuthenticator(BastionContext context) {
    this.context = context;
    this.certificates = new UserCertificates(context.services.userCa(), context.services.clock());
  }

  @Override
  public boolean authenticate(String login, PublicKey key, ServerSession session) {
    Optional<JumpTarget> found = InnerServer.target(session);
    if (found.isEmpty()) {
      return false;
    }
    JumpTarget target = found.get();
    if (!(key instanceof OpenSshCertificate certificate)
        || !KeyUtils.compareKeys((PublicKey) certificate, target.user().certificate())) {
      // ssh offers every key it has; only the one the outer hop used is accepted.
      return false;
    }
    Optional<String> problem = certificates.problem(key);
    if (problem.isPresent()) {
      return refuse(session, target, login, "you presented " + problem.get());
    }
    if (!certificate.getPrincipals().contains(login)) {
      return refuse(session, target, login, "your certificate does not allow login '" + UserCertificates.printable(login)
          + "' (it allows: " + String.join(", ", certificate.getPrincipals()) + ")");
    }
    PolicySnapshot policy = context.services.policy().get();
    Optional<Identity> identity = context.services.nodeLogins().currentUser(target.user().keyId(), policy);
    if (identity.isEmpty()) {
      return refuse(session, target, login, "user " + target.user().username() + " is no longer known");
    }
    if (context.services.lockedUsers().isLocked(identity.get().username())) {
      return refuse(session, target, login, "user " + identity.get().username() + " is locked");
    }
    NodeResource node = new NodeResource(target.node().name(), target.node().labels());
    List<String> logins = context.services.nodeLogins().loginsFor(identity.get(), node, policy);
    if (!logins.contains(login)) {
      return refuse(session, target, login, identity.get().username() + " may not log in as '" + login + "' on "
          + node.name() + (logins.isEmpty() ? " (no role grants a login on a node labelled " + node.labels() + ")"
          : " (allowed here: " + String.join(", ", logins) + ")"));
    }
    if (session.getAttribute(InnerHop.KEY) == null) {
      SshGrant grant = policy.sshGrant(identity.get());
      BastionUser user = new BastionUser(identity.get(), target.user().keyId(), target.user().certificate());
      JumpTarget current = new JumpTarget(user, target.node(), target.outer(), target.clientAddress());
      session.setAttribute(InnerHop.KEY, new InnerHop(current, login, recorded(identity.get(), policy),
          forwarding(grant), () -> context.upstream.connect(current.node(), user, login, forwarding(grant))));
    }
    return true;
  }

  /** Recorded unless every role of the user turns recording off. */
  private static boolean recorded(Identity identity, PolicySnapshot policy) {
    List<String> roles = policy.rolesFor(identity);
    return roles.isEmpty() || roles.stream().map(name -> policy.config().role(name))
        .flatMap(Optional::stream).anyMatch(role -> role.options().records());
  }

  private static Set<UserExtension> forwarding(SshGrant grant) {
    EnumSet<UserExtension> granted = EnumSet.noneOf(UserExtension.class);
    if (grant.portForwarding()) {
      granted.add(UserExtension.PORT_FORWARDING);
    }
    if (grant.agentForwarding()) {
      granted.add(UserExtension.AGENT_FORWARDING);
    }
    return granted;
  }

  private boolean refuse(ServerSession session, JumpTarget target, String login, String why) {
    if (session.getAttribute(REFUSAL_AUDITED) == null) {
      session.setAttribute(REFUSAL_AUDITED, why);
      Banner.send(session, why);
      context.background.execute(() -> SessionAudit.record(context.services.audit(), target, login,
          AuditCode.SSH_SESSION_REFUSED, null, Map.of(), List.of(why)));
    }
    return false;
  }
}
