package dev.portcullis.policy.internal;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.LoginSyntax;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides an SSH login to a node, deny by default. Order: a malformed login denies; a role whose
 * {@code deny.node_labels} match the node denies; a role whose {@code deny.logins} hold the login denies;
 * then some role must grant the node by {@code allow.node_labels} and list the login.
 */
public final class NodeDecisions {
  private NodeDecisions() {}

  /**
   * @param mapped the user's roles and the mappings that gave them
   * @param ssh the user's known roles with logins expanded
   */
  public static Decision decide(
      RoleMapper.Result mapped, UserSshRoles ssh, Identity identity, NodeResource node, String login) {
    List<Reason> reasons = new ArrayList<>(mapped.reasons());
    if (!LoginSyntax.isLogin(login)) {
      return deny(reasons, Reason.LOGIN_INVALID, "login " + Check.quote(shorten(login))
          + " is not a valid login (expected: " + LoginSyntax.LOGIN_PATTERN + ")");
    }
    UserSshRoles.Expanded nodeDenier = ssh.nodeDenier(node);
    if (nodeDenier != null) {
      return deny(reasons, Reason.NODE_DENY, "role " + nodeDenier.role().name() + " denies node " + node.name()
          + " by " + nodeDenier.role().nodeDeny().describeMatch(node.labels()));
    }
    UserSshRoles.Expanded loginDenier = ssh.loginDenier(login);
    if (loginDenier != null) {
      return deny(reasons, Reason.LOGIN_DENY, "role " + loginDenier.role().name() + " denies login " + login);
    }
    List<UserSshRoles.Expanded> granting = ssh.granting(node);
    if (granting.isEmpty()) {
      String detail = mapped.roles().isEmpty()
          ? "user " + identity.username() + " has no roles: no role mapping matched"
          : "roles " + mapped.roles() + " of user " + identity.username() + " grant no access to node "
              + node.name() + " (labels " + LabelSelector.describe(node.labels()) + ")";
      return deny(reasons, Reason.NO_ROLE_GRANTS_NODE, detail);
    }
    for (UserSshRoles.Expanded role : granting) {
      if (role.logins().contains(login)) {
        reasons.add(new Reason(Reason.NODE_ALLOW, "role " + role.role().name() + " allows login " + login
            + " on node " + node.name() + " by " + role.role().nodeAllow().describeMatch(node.labels())));
      }
    }
    if (reasons.stream().noneMatch(r -> r.code().equals(Reason.NODE_ALLOW))) {
      List<String> names = granting.stream().map(r -> r.role().name()).toList();
      return deny(reasons, Reason.LOGIN_NOT_GRANTED, "roles " + names + " grant node " + node.name()
          + " but not login " + login + " (logins there: " + ssh.loginsOn(node) + ")");
    }
    return new Decision.Allow(mapped.roles(), reasons);
  }

  private static Decision deny(List<Reason> reasons, String code, String detail) {
    reasons.add(new Reason(code, detail));
    return new Decision.Deny(reasons);
  }

  /** Keeps a hostile login from filling the audit log; the quote escapes control characters. */
  private static String shorten(String login) {
    return login.length() > 40 ? login.substring(0, 40) + "..." : login;
  }
}
