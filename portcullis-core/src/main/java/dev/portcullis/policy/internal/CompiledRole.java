package dev.portcullis.policy.internal;

import dev.portcullis.config.RoleConfig;
import dev.portcullis.config.RoleOptions;

/**
 * A role with its label selectors compiled.
 *
 * @param name the role name
 * @param allow the apps it grants
 * @param deny the apps it forbids
 * @param options its session options
 */
public record CompiledRole(String name, LabelSelector allow, LabelSelector deny, RoleOptions options) {

  public static CompiledRole compile(RoleConfig role) {
    return new CompiledRole(role.name(), new LabelSelector(role.allow().appLabels()),
        new LabelSelector(role.deny().appLabels()), role.options());
  }
}
