package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final HopAuthorizer authorizer;

  InnerAuthenticator(BastionContext context, HopAuthorizer authorizer) {
    this.context = context;
    this.authorizer = authorizer;
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
    return switch (authorizer.login(target, login, certificate)) {
      case HopAuthorizer.Decision.Refused<InnerHop>(String why) -> refuse(session, target, login, why);
      case HopAuthorizer.Decision.Allowed<InnerHop>(InnerHop hop) -> {
        // Asked for again with the signature, or for another login: the hop of the last login allowed is the one.
        session.setAttribute(InnerHop.KEY, hop);
        yield true;
      }
    };
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
