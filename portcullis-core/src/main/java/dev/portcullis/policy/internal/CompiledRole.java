package dev.portcullis.policy.internal;

import dev.portcullis.config.RoleConfig;
import dev.portcullis.config.RoleOptions;

/**
 * A role with its label selectors and login templates compiled.
 *
 * @param name the role name
 * @param allow the apps it grants
 * @param deny the apps it forbids
 * @param nodeAllow the SSH nodes it grants
 * @param nodeDeny the SSH nodes it forbids
 * @param logins the logins it grants on its nodes
 * @param deniedLogins the logins it forbids everywhere
 * @param sudo whether its logins get sudo on its nodes
 * @param options its session options
 */
public record CompiledRole(
    String name,
    LabelSelector allow,
    LabelSelector deny,
    LabelSelector nodeAllow,
    LabelSelector nodeDeny,
    LoginSet logins,
    LoginSet deniedLogins,
    boolean sudo,
    RoleOptions options) {

  public static CompiledRole compile(RoleConfig role) {
    return new CompiledRole(role.name(),
        new LabelSelector(role.allow().appLabels()), new LabelSelector(role.deny().appLabels()),
        new LabelSelector(role.allow().nodeLabels()), new LabelSelector(role.deny().nodeLabels()),
        LoginSet.compile(role.allow().logins()), LoginSet.compile(role.deny().logins()),
        role.allow().sudo(), role.options());
  }
}
