package dev.portcullis.policy.internal;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.NodeResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A user's roles as SSH sees them, with each role's allowed and denied logins expanded once, so that
 * one question (may she log in, which logins, sudo) never expands a template twice. Deny always wins:
 * a role whose {@code deny.node_labels} match a node closes the node, and a login in any role's
 * {@code deny.logins} is refused everywhere.
 */
public final class UserSshRoles {

  /**
   * One role of the user with its templates expanded for that user.
   *
   * @param role the compiled role
   * @param logins the valid logins it grants
   * @param deniedLogins the valid logins it forbids
   */
  public record Expanded(CompiledRole role, Set<String> logins, Set<String> deniedLogins) {}

  private final List<Expanded> roles;
  private final Set<String> deniedLogins;
  private final List<String> dropped;

  private UserSshRoles(List<Expanded> roles, Set<String> deniedLogins, List<String> dropped) {
    this.roles = roles;
    this.deniedLogins = deniedLogins;
    this.dropped = dropped;
  }

  /** Expands the login templates of {@code roles} (the user's roles, known ones only) for {@code identity}. */
  public static UserSshRoles expand(List<CompiledRole> roles, Identity identity) {
    List<Expanded> expanded = new ArrayList<>(roles.size());
    Set<String> denied = new HashSet<>();
    List<String> dropped = new ArrayList<>();
    for (CompiledRole role : roles) {
      LoginSet.Expansion allow = role.logins().expand(identity);
      LoginSet.Expansion deny = role.deniedLogins().expand(identity);
      expanded.add(new Expanded(role, allow.logins(), deny.logins()));
      denied.addAll(deny.logins());
      allow.dropped().forEach(note -> dropped.add("role " + role.name() + " allow: " + note));
      deny.dropped().forEach(note -> dropped.add("role " + role.name() + " deny: " + note));
    }
    return new UserSshRoles(List.copyOf(expanded), Set.copyOf(denied), List.copyOf(dropped));
  }

  public List<Expanded> roles() {
    return roles;
  }

  /** Notes on template values that were dropped as invalid logins, naming the role and template only. */
  public List<String> dropped() {
    return dropped;
  }

  /** The first role whose {@code deny.node_labels} match {@code node}, or null. */
  public Expanded nodeDenier(NodeResource node) {
    for (Expanded role : roles) {
      if (role.role().nodeDeny().matches(node.labels())) {
        return role;
      }
    }
    return null;
  }

  /** The first role whose {@code deny.logins} contain {@code login}, or null. */
  public Expanded loginDenier(String login) {
    if (!deniedLogins.contains(login)) {
      return null;
    }
    for (Expanded role : roles) {
      if (role.deniedLogins().contains(login)) {
        return role;
      }
    }
    throw new IllegalStateException("denied login " + login + " has no denying role");
  }

  /** The roles whose {@code allow.node_labels} match {@code node}. */
  public List<Expanded> granting(NodeResource node) {
    List<Expanded> granting = new ArrayList<>(roles.size());
    for (Expanded role : roles) {
      if (role.role().nodeAllow().matches(node.labels())) {
        granting.add(role);
      }
    }
    return granting;
  }

  /**
   * The logins the user may use on {@code node}, sorted: those of the roles that grant the node, minus
   * every denied login; none when a role denies the node.
   */
  public List<String> loginsOn(NodeResource node) {
    if (nodeDenier(node) != null) {
      return List.of();
    }
    TreeSet<String> logins = new TreeSet<>();
    for (Expanded role : granting(node)) {
      logins.addAll(role.logins());
    }
    logins.removeAll(deniedLogins);
    return List.copyOf(logins);
  }

  /**
   * Whether {@code login} on {@code node} comes with sudo: some role grants the node and the login and
   * has {@code sudo: true}, and no role denies the node or the login.
   */
  public boolean sudo(NodeResource node, String login) {
    if (deniedLogins.contains(login) || nodeDenier(node) != null) {
      return false;
    }
    for (Expanded role : granting(node)) {
      if (role.role().sudo() && role.logins().contains(login)) {
        return true;
      }
    }
    return false;
  }

  /** Every login of every role, whatever the node, minus every denied login; sorted. */
  public List<String> allLogins() {
    TreeSet<String> logins = new TreeSet<>();
    for (Expanded role : roles) {
      logins.addAll(role.logins());
    }
    logins.removeAll(deniedLogins);
    return List.copyOf(logins);
  }
}
