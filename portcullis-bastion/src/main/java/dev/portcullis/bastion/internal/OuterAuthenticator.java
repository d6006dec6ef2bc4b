package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.identity.Identity;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.policy.PolicySnapshot;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Lets a user onto the bastion with a Portcullis user certificate only: signed by a trusted user CA key, valid
 * now, naming a user Portcullis knows today who is not locked.
 *
 * <p>A plain user name ({@code ssh -J alice@bastion}) makes a jump connection: its name does not matter, and the
 * login on the node is decided per hop. A user name {@code LOGIN@NODE} ({@code ssh -p 3022 root@node1@bastion})
 * makes the connection the session itself, in one hop: the node and the login are authorized here, exactly as a
 * jump and its inner login would be, and the bastion terminates and relays the connection's channels.
 */
final class OuterAuthenticator implements PublickeyAuthenticator {
  static final AttributeKey<BastionUser> USER = new AttributeKey<>();
  private static final AttributeKey<Boolean> EXPLAINED = new AttributeKey<>();

  private final BastionContext context;
  private final HopAuthorizer authorizer;
  private final UserCertificates certificates;

  OuterAuthenticator(BastionContext context, HopAuthorizer authorizer) {
    this.context = context;
    this.authorizer = authorizer;
    this.certificates = new UserCertificates(context.services.userCa(), context.services.clock());
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    Optional<String> problem = certificates.problem(key);
    if (problem.isPresent()) {
      // Clients offer several keys; a plain one is explained once, a bad certificate is also audited.
      return refuse(session, key instanceof OpenSshCertificate cert ? cert.getId() : null,
          "you presented " + problem.get());
    }
    OpenSshCertificate certificate = (OpenSshCertificate) key;
    PolicySnapshot policy = context.services.policy().get();
    Optional<Identity> identity = context.services.nodeLogins().currentUser(certificate.getId(), policy);
    if (identity.isEmpty()) {
      return refuse(session, certificate.getId(), "the user of certificate " + UserCertificates.printable(
          certificate.getId()) + " is not known here any more; run portcullis login");
    }
    if (context.services.lockedUsers().isLocked(identity.get().username())) {
      return refuse(session, certificate.getId(), "user " + identity.get().username() + " is locked");
    }
    BastionUser user = new BastionUser(identity.get(), certificate.getId(), certificate);
    int at = username.lastIndexOf('@');
    if (at < 0) {
      // A client may ask about one user name and then sign in with another: the last one decides.
      session.removeAttribute(InnerHop.KEY);
    } else if (!oneHop(session, user, username.substring(0, at), username.substring(at + 1))) {
      return false;
    }
    session.setAttribute(USER, user);
    return true;
  }

  /** Authorizes {@code login} on {@code host} for this whole connection, as a jump and its inner login would be. */
  private boolean oneHop(ServerSession session, BastionUser user, String login, String host) {
    String client = clientAddress(session);
    if (login.isEmpty() || host.isEmpty()) {
      String why = "user name '" + UserCertificates.printable(login + "@" + host)
          + "': expected LOGIN@NODE, for example root@node1, or a plain name to use the bastion as a jump host";
      return refuse(session, why,
          () -> SessionAudit.refused(context.services.audit(), user, "bastion", client, why, Map.of()));
    }
    NodeRecord node;
    switch (authorizer.node(user, host)) {
      case HopAuthorizer.Decision.Refused<NodeRecord>(String why) -> {
        return refuse(session, why, () -> SessionAudit.refused(context.services.audit(), user,
            "node:" + UserCertificates.printable(host), client, why, Map.of("login", UserCertificates.printable(login))));
      }
      case HopAuthorizer.Decision.Allowed<NodeRecord>(NodeRecord found) -> node = found;
    }
    JumpTarget target = new JumpTarget(user, node, session, client);
    return switch (authorizer.login(target, login, user.certificate())) {
      case HopAuthorizer.Decision.Refused<InnerHop>(String why) -> refuse(session, why, () -> SessionAudit.record(
          context.services.audit(), target, login, AuditCode.SSH_SESSION_REFUSED, null, Map.of(), List.of(why)));
      case HopAuthorizer.Decision.Allowed<InnerHop>(InnerHop hop) -> {
        // Asked for again with the signature, or for another name: the hop of the last name allowed is the one.
        session.setAttribute(InnerHop.KEY, hop);
        yield true;
      }
    };
  }

  private boolean refuse(ServerSession session, String keyId, String why) {
    String client = clientAddress(session);
    return refuse(session, why, keyId == null ? null : () -> context.services.audit()
        .event(AuditCode.SSH_SESSION_REFUSED).resource("bastion").clientAddress(client).reasons(List.of(why))
        .details(Map.of("key_id", UserCertificates.printable(keyId))).record());
  }

  /** Explains the refusal once per connection and audits it then, when {@code audit} is given. */
  private boolean refuse(ServerSession session, String why, Runnable audit) {
    if (session.getAttribute(EXPLAINED) == null) {
      session.setAttribute(EXPLAINED, Boolean.TRUE);
      Banner.send(session, why);
      if (audit != null) {
        context.background.execute(audit);
      }
    }
    return false;
  }

  static String clientAddress(ServerSession session) {
    return session.getClientAddress() instanceof InetSocketAddress address
        ? address.getAddress().getHostAddress() : String.valueOf(session.getClientAddress());
  }
}
