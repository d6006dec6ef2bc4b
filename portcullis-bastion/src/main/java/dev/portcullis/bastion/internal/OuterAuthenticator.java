package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.identity.Identity;
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
 * now, naming a user Portcullis knows today who is not locked. The login name of the outer hop does not matter;
 * the login on the node is decided per hop.
 */
final class OuterAuthenticator implements PublickeyAuthenticator {
  static final AttributeKey<BastionUser> USER = new AttributeKey<>();
  private static final AttributeKey<Boolean> EXPLAINED = new AttributeKey<>();

  private final BastionContext context;
  private final UserCertificates certificates;

  OuterAuthenticator(BastionContext context) {
    this.context = context;
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
    session.setAttribute(USER, new BastionUser(identity.get(), certificate.getId(), certificate));
    return true;
  }

  private boolean refuse(ServerSession session, String keyId, String why) {
    if (session.getAttribute(EXPLAINED) == null) {
      session.setAttribute(EXPLAINED, Boolean.TRUE);
      Banner.send(session, why);
      if (keyId != null) {
        String client = session.getClientAddress() instanceof InetSocketAddress address
            ? address.getAddress().getHostAddress() : String.valueOf(session.getClientAddress());
        context.background.execute(() -> context.services.audit().event(AuditCode.SSH_SESSION_REFUSED)
            .resource("bastion").clientAddress(client).reasons(List.of(why))
            .details(Map.of("key_id", UserCertificates.printable(keyId))).record());
      }
    }
    return false;
  }
}
