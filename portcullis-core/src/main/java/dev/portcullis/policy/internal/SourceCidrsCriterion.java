package dev.portcullis.policy.internal;

import dev.portcullis.config.Cidr;
import java.util.List;

/** {@code source_cidrs}: the client address is inside one of the listed IPv4 or IPv6 networks. */
public final class SourceCidrsCriterion implements Criterion {
  private final List<Cidr> networks;
  private final String described;

  public SourceCidrsCriterion(List<Cidr> networks) {
    if (networks.isEmpty()) {
      throw new IllegalArgumentException("source_cidrs: [] (expected: at least one network)");
    }
    this.networks = List.copyOf(networks);
    this.described = "source_cidrs " + networks;
  }

  @Override
  public Outcome test(EvaluationContext context) {
    for (Cidr network : networks) {
      if (network.contains(context.source())) {
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
