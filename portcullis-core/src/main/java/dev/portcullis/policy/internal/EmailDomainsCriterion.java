package dev.portcullis.policy.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code email_domains}: the user's email domain is one of the listed domains, compared in lower case.
 * Only the exact domain counts: {@code example.com} does not admit {@code evil-example.com} or
 * {@code sub.example.com}.
 */
public final class EmailDomainsCriterion implements Criterion {
  private final Set<String> domains;
  private final String described;

  public EmailDomainsCriterion(List<String> domains) {
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("email_domains: [] (expected: at least one domain)");
    }
    this.domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
    this.described = "email_domains " + domains;
  }

  @Override
  public Outcome test(EvaluationContext context) {
    String domain = context.identity().emailDomain();
    return !domain.isEmpty() && domains.contains(domain) ? Outcome.MATCH : Outcome.NO_MATCH;
  }

  @Override
  public String describe() {
    return described;
  }
}
