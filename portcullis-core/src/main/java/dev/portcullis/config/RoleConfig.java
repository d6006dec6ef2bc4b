package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A role: what it grants ({@code allow}), what it takes away ({@code deny}, which wins) and its options.
 *
 * @param name the unique role name
 * @param allow the resources the role grants
 * @param deny the resources and logins the role forbids, whatever other roles allow
 * @param options session options
 */
public record RoleConfig(String name, RoleConditions allow, RoleConditions deny, RoleOptions options) {
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  public RoleConfig {
    Check.matches(name, NAME, "name", "1-64 characters: a letter or digit first, then letters, digits, _, ., : or -");
    allow = allow == null ? RoleConditions.NONE : allow;
    deny = deny == null ? RoleConditions.NONE : deny;
    options = options == null ? RoleOptions.DEFAULT : options;
    if (deny.sudo()) {
      // Refused rather than ignored, so nobody believes it takes sudo away.
      throw Check.invalid(List.of("deny", "sudo"), "has no effect under deny (expected: sudo: true under allow to"
          + " grant it, or leave it out; deny.node_labels or deny.logins take access away)");
    }
  }
}
