package dev.portcullis.policy.internal;

import java.util.List;
import java.util.Set;

/** {@code groups}: the user is in at least one of the listed groups (exact, case-sensitive). */
public final class GroupsCriterion implements Criterion {
  private final Set<String> groups;
  private final String described;

  public GroupsCriterion(List<String> groups) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("groups: [] (expected: at least one group)");
    }
    this.groups = Set.copyOf(groups);
    this.described = "groups " + groups;
  }

  @Override
  public Outcome test(EvaluationContext context) {
    for (String group : context.identity().groups()) {
      if (groups.contains(group)) {
        return Outcome.MATCH;
      }
    }
    return Outcome.NO_MATCH;
  }

  @Override
  public String describe() {
    return described;
  }
}
