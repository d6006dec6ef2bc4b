package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
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

  /** Records the events (from {@link #started}) in this order, waiting once for all of them. */
  void recordAll(List<AuditEvent> events) {
    audit.recordAll(events);
  }

  /** A session's first events: {@code session.start}, and for a command, {@code exec} or {@code scp}. */
  List<AuditEvent> started(String sessionId, SessionKind kind, String request, boolean pty, boolean recorded,
      boolean agentForwarded) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("kind", kind.id());
    if (kind == SessionKind.SUBSYSTEM) {
      details.put("subsystem", request);
    }
    details.put("pty", Boolean.toString(pty));
    details.put("recorded", Boolean.toString(recorded));
    if (agentForwarded) {
      details.put("agent_forwarded", "true");
    }
    List<AuditEvent> events = new ArrayList<>();
    events.add(event(AuditCode.SSH_SESSION_STARTED, sessionId, details));
    if (kind == SessionKind.EXEC) {
      events.add(ExecAudit.scp(request)
          .map(scp -> event(AuditCode.SSH_SCP, sessionId, Map.of("direction", scp.direction(), "path", scp.path(),
              "recursive", Boolean.toString(scp.recursive()))))
          .orElseGet(() -> event(AuditCode.SSH_EXEC, sessionId, Map.of("command", ExecAudit.shown(request)))));
    }
    return events;
  }

  void sftp(String sessionId, SftpAuditor.Operation op) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("action", op.action());
    details.put("path", op.path());
    if (!op.target().isEmpty()) {
      details.put("target", op.target());
    }
    if (!op.mode().isEmpty()) {
      details.put("mode", op.mode());
    }
    record(AuditCode.SSH_SFTP, sessionId, details, List.of());
  }

  void ended(String sessionId, SessionKind kind, Duration duration, long bytesIn, long bytesOut, int exitStatus,
      boolean recorded, String reason) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("kind", kind.id());
    details.put("duration_ms", Long.toString(duration.toMillis()));
    details.put("bytes_in", Long.toString(bytesIn));
    details.put("bytes_out", Long.toString(bytesOut));
    details.put("exit_status", Integer.toString(exitStatus));
    details.put("recorded", Boolean.toString(recorded));
    record(AuditCode.SSH_SESSION_ENDED, sessionId, details, List.of(reason));
  }

  private AuditEvent event(AuditCode code, String sessionId, Map<String, String> details) {
    return draft(audit, target, login, code, sessionId, details, List.of()).build();
  }

  /**
   * A refusal before there is a hop to name (a jump, or a one-hop user name) of a user who authenticated: the
   * user, the key id and the client's address, with {@code resource} and {@code details} saying what was asked.
   */
  static void refused(AuditLog audit, BastionUser user, String resource, String clientAddress, String why,
      Map<String, String> details) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("key_id", user.keyId());
    all.putAll(details);
    audit.event(AuditCode.SSH_SESSION_REFUSED).user(user.username()).provider(user.identity().provider())
        .resource(resource).clientAddress(clientAddress).reasons(List.of(why)).details(all).record();
  }

  static void record(AuditLog audit, JumpTarget target, String login, AuditCode code, String sessionId,
      Map<String, String> details, List<String> reasons) {
    draft(audit, target, login, code, sessionId, details, reasons).record();
  }

  private static AuditLog.Draft draft(AuditLog audit, JumpTarget target, String login, AuditCode code,
      String sessionId, Map<String, String> details, List<String> reasons) {
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
    return audit.event(code).user(target.user().username()).provider(target.user().identity().provider())
        .resource("node:" + target.node().name()).clientAddress(target.clientAddress()).reasons(reasons)
        .details(all);
  }
}
