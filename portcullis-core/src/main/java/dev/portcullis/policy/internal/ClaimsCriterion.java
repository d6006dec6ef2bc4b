package dev.portcullis.policy.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code claims}: every listed claim has one of its accepted values, compared as a string, or for an
 * array claim any element. A missing claim does not match.
 */
public final class ClaimsCriterion implements Criterion {
  private final Map<String, Set<String>> accepted;
  private final String described;

  public ClaimsCriterion(Map<String, List<String>> claims) {
    if (claims.isEmpty()) {
      throw new IllegalArgumentException("claims: {} (expected: at least one claim)");
    }
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    claims.forEach((name, values) -> copy.put(name, Set.copyOf(values)));
    this.accepted = Map.copyOf(copy);
    this.described = "claims " + claims;
  }

  @Override
  public Outcome test(EvaluationContext context) {
    Map<String, Object> claims = context.identity().claims();
    for (Map.Entry<String, Set<String>> entry : accepted.entrySet()) {
      Object claim = claims.get(entry.getKey());
      if (claim == null || !ClaimValues.anyMatches(claim, entry.getValue())) {
        return Outcome.NO_MATCH;
      }
    }
    return Outcome.MATCH;
  }

  @Override
  public String describe() {
    return described;
  }
}
