package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the bastion's audit events with the fields every one of them shares: the user, their provider, the node
 * as resource ({@code node:NAME}), the client's address and the session id and login in the details.
 */
final class SessionAudit {
  private final AuditLog audit;
  private final JumpTarget target;
  private final String login;

  SessionAudit(AuditLog audit, JumpTarget target, String login) {
    this.audit = audit;
    this.target = target;
    this.login = login;
  }

  void record(AuditCode code, String sessionId, Map<String, String> details, List<String> reasons) {
    record(audit, target, login, code, sessionId, details, reasons);
  }

  static void record(AuditLog audit, JumpTarget target, String login, AuditCode code, String sessionId,
      Map<String, String> details, List<String> reasons) {
    Map<String, String> all = new LinkedHashMap<>();
    if (sessionId != null) {
      all.put("session", sessionId);
    }
    all.put("node", target.node().name());
    if (login != null) {
      all.put("login", login);
    }
    all.put("key_id", target.user().keyId());
    all.putAll(details);
    audit.event(code).user(target.user().username()).provider(target.user().identity().provider())
        .resource("node:" + target.node().name()).clientAddress(target.clientAddress()).reasons(reasons)
        .details(all).record();
  }
}
