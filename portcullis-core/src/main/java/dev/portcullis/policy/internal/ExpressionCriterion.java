package dev.portcullis.policy.internal;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.portcullis.config.internal.PolicyExpressions;

/**
 * {@code expression}: a CEL expression over {@code user}, {@code request} and {@code app}, compiled
 * once. A runtime error (a missing claim, a wrong type) is {@link Outcome.Failed}, never an exception.
 */
public final class ExpressionCriterion implements Criterion {
  private final String source;
  private final CelRuntime.Program program;

  public ExpressionCriterion(String source) {
    this.source = source;
    this.program = PolicyExpressions.program(source);
  }

  @Override
  public Outcome test(EvaluationContext context) {
    try {
      Object result = program.eval(context.celVariables());
      if (result instanceof Boolean matched) {
        return matched ? Outcome.MATCH : Outcome.NO_MATCH;
      }
      return new Outcome.Failed("returned " + (result == null ? "null" : result.getClass().getSimpleName())
          + ", not a bool");
    } catch (CelEvaluationException e) {
      return new Outcome.Failed(e.getMessage());
    } catch (RuntimeException e) {
      return new Outcome.Failed(e.toString());
    }
  }

  @Override
  public String describe() {
    return "expression " + source.strip();
  }

  @Override
  public boolean costly() {
    return true;
  }
}
