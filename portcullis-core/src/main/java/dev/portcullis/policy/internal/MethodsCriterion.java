package dev.portcullis.policy.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code methods}: the HTTP method, in upper case, is one of the listed methods. */
public final class MethodsCriterion implements Criterion {
  private final Set<String> methods;
  private final String described;

  public MethodsCriterion(List<String> methods) {
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("methods: [] (expected: at least one method)");
    }
    this.methods = Set.copyOf(methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
    this.described = "methods " + methods;
  }

  @Override
  public Outcome test(EvaluationContext context) {
    return methods.contains(context.method()) ? Outcome.MATCH : Outcome.NO_MATCH;
  }

  @Override
  public String describe() {
    return described;
  }
}
