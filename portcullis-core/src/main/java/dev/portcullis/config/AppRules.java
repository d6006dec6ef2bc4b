package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.List;

/**
 * Per-app rules. Any matching {@code deny} rule refuses; when {@code allow} rules exist, one must match.
 *
 * @param allow rules of which at least one must match, when any are given
 * @param deny rules of which none may match
 */
public record AppRules(List<RuleConfig> allow, List<RuleConfig> deny) {
  public static final AppRules NONE = new AppRules(List.of(), List.of());

  public AppRules {
    allow = Check.list(allow, "allow");
    deny = Check.list(deny, "deny");
  }

  public boolean hasRules() {
    return !allow.isEmpty() || !deny.isEmpty();
  }
}
