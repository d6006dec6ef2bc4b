package dev.portcullis.policy.internal;

import java.util.List;
import java.util.Set;

/** {@code users}: the user name is one of the listed names (exact, case-sensitive). */
public final class UsersCriterion implements Criterion {
  private final Set<String> users;
  private final String described;

  public UsersCriterion(List<String> users) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("users: [] (expected: at least one user name)");
    }
    this.users = Set.copyOf(users);
    this.described = "users " + users;
  }

  @Override
  public Outcome test(EvaluationContext context) {
    return users.contains(context.identity().username()) ? Outcome.MATCH : Outcome.NO_MATCH;
  }

  @Override
  public String describe() {
    return described;
  }
}
