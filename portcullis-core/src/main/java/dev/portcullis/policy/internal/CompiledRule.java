package dev.portcullis.policy.internal;

import dev.portcullis.config.RuleConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An app rule ready to run: its criteria, cheap ones first, all of which must match. A rule whose
 * cheap criteria already fail never evaluates its CEL expression.
 *
 * @param label where the rule sits, for example {@code deny[0]}
 * @param criteria the criteria in evaluation order
 */
public record CompiledRule(String label, List<Criterion> criteria) {

  public CompiledRule {
    criteria = criteria.stream().sorted(Comparator.comparing(Criterion::costly)).toList();
    if (criteria.isEmpty()) {
      throw new IllegalArgumentException(label + ": no criteria (expected: at least one)");
    }
  }

  public static CompiledRule compile(String label, RuleConfig rule, Effect effect) {
    List<Criterion> criteria = new ArrayList<>();
    if (!rule.users().isEmpty()) criteria.add(new UsersCriterion(rule.users()));
    if (!rule.groups().isEmpty()) criteria.add(new GroupsCriterion(rule.groups()));
    if (!rule.emailDomains().isEmpty()) criteria.add(new EmailDomainsCriterion(rule.emailDomains()));
    if (!rule.claims().isEmpty()) criteria.add(new ClaimsCriterion(rule.claims()));
    if (!rule.pathPrefixes().isEmpty()) criteria.add(new PathPrefixesCriterion(rule.pathPrefixes(), effect));
    if (!rule.methods().isEmpty()) criteria.add(new MethodsCriterion(rule.methods()));
    if (!rule.sourceCidrs().isEmpty()) criteria.add(new SourceCidrsCriterion(rule.sourceCidrs()));
    rule.expression().ifPresent(e -> criteria.add(new ExpressionCriterion(e)));
    return new CompiledRule(label, criteria);
  }

  /** Match when every criterion matches; NoMatch as soon as one does not; Failed when CEL failed. */
  public Outcome test(EvaluationContext context) {
    Outcome failed = null;
    for (Criterion criterion : criteria) {
      Outcome outcome = criterion.test(context);
      switch (outcome) {
        case Outcome.NoMatch noMatch -> {
          return noMatch;
        }
        case Outcome.Failed f -> failed = f;
        case Outcome.Match m -> { }
      }
    }
    return failed != null ? failed : Outcome.MATCH;
  }

  /** The criteria as configured: {@code path_prefixes [/admin], methods [POST, DELETE]}. */
  public String describe() {
    return criteria.stream().map(Criterion::describe).collect(Collectors.joining(", "));
  }
}
