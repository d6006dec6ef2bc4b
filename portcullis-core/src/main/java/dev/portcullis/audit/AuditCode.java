package dev.portcullis.audit;

/**
 * The closed set of audit event kinds, each with a stable code that SIEM rules can key on.
 *
 * <p>Codes are grouped by area (1xxx sign-in and sessions, 2xxx access, 3xxx configuration, 4xxx
 * certificates and nodes, 5xxx locks, 6xxx SSH sessions through the bastion) and end with a severity letter:
 * I for information, W for warning. A code never changes meaning once shipped.
 */
public enum AuditCode {
  LOGIN_SUCCEEDED("user.login", "PC1000I"),
  LOGIN_FAILED("user.login.failed", "PC1001W"),
  LOGOUT("user.logout", "PC1002I"),
  SESSION_EXPIRED("session.expired", "PC1003I"),
  SESSION_REFRESHED("session.refreshed", "PC1004I"),
  ACCESS_DENIED("access.denied", "PC2001W"),
  CONFIG_RELOADED("config.reloaded", "PC3000I"),
  CONFIG_RELOAD_FAILED("config.reload.failed", "PC3001W"),
  CERTIFICATE_ISSUED("cert.issued", "PC4000I"),
  CERTIFICATE_REFUSED("cert.refused", "PC4001W"),
  NODE_JOINED("node.joined", "PC4100I"),
  NODE_JOIN_FAILED("node.join.failed", "PC4101W"),
  USER_LOCKED("user.locked", "PC5000I"),
  USER_UNLOCKED("user.unlocked", "PC5001I"),
  SSH_SESSION_STARTED("session.start", "PC6000I"),
  SSH_SESSION_ENDED("session.end", "PC6001I"),
  SSH_SESSION_REFUSED("session.refused", "PC6002W"),
  SSH_SESSION_KILL_REQUESTED("session.kill", "PC6003I"),
  SSH_EXEC("exec", "PC6010I"),
  SSH_SCP("scp", "PC6011I"),
  SSH_SFTP("sftp", "PC6012I"),
  SSH_PORT_FORWARD("port", "PC6013I"),
  SSH_FORWARD_REFUSED("forward.refused", "PC6014W");

  private final String type;
  private final String code;

  AuditCode(String type, String code) {
    this.type = type;
    this.code = code;
  }

  /** The dotted event type, for example {@code user.login}. */
  public String type() {
    return type;
  }

  /** The stable code, for example {@code PC1000I}. */
  public String code() {
    return code;
  }

  public static AuditCode fromCode(String code) {
    for (AuditCode candidate : values()) {
      if (candidate.code.equals(code)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("audit code: " + code + " (expected one of the PCnnnnX codes)");
  }
}
