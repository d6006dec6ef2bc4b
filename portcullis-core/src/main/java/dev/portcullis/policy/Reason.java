package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

/**
 * Why a decision went the way it did: a stable code for machines and a detail for people, such as
 * {@code role-allow: role dev allows app whoami by labels env=dev}.
 *
 * @param code a stable, lower-case code (see the constants)
 * @param detail what matched, naming roles, rules and values
 */
public record Reason(String code, String detail) {
  public static final String APP_UNKNOWN = "app-unknown";
  public static final String PUBLIC_APP = "public-app";
  public static final String PUBLIC_PATH = "public-path";
  public static final String USER_UNAUTHENTICATED = "user-unauthenticated";
  public static final String MAPPING = "mapping";
  public static final String ROLE_DENY = "role-deny";
  public static final String ROLE_ALLOW = "role-allow";
  public static final String NO_ROLE_GRANTS_APP = "no-role-grants-app";
  public static final String RULE_DENY = "rule-deny";
  public static final String RULE_ALLOW = "rule-allow";
  public static final String NO_RULE_MATCHED = "no-rule-matched";
  public static final String POLICY_ERROR = "policy-error";
  public static final String NODE_DENY = "node-deny";
  public static final String LOGIN_DENY = "login-deny";
  public static final String LOGIN_INVALID = "login-invalid";
  public static final String NO_ROLE_GRANTS_NODE = "no-role-grants-node";
  public static final String LOGIN_NOT_GRANTED = "login-not-granted";
  public static final String NODE_ALLOW = "node-allow";
  public static final String LOGIN_GRANT = "login-grant";
  public static final String LOGIN_DROPPED = "login-dropped";
  public static final String NO_LOGINS = "no-logins";

  public Reason {
    requireNonNull(code, "code");
    requireNonNull(detail, "detail");
  }

  /** {@code code: detail}, the form audit events store. */
  @Override
  public String toString() {
    return code + ": " + detail;
  }
}
