package dev.portcullis.config.internal;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.List;

/**
 * The CEL environment of app rule expressions, shared by the config check and the policy engine so
 * that both accept exactly the same expressions.
 *
 * <p>Variables: {@code user} (name, email, groups, roles, claims), {@code request} (method, host, path,
 * source_ip, time as a timestamp) and {@code app} (name, labels), each a {@code map(string, dyn)}. The
 * result must be a bool. Comprehensions are bounded so one expression cannot stall the proxy.
 */
public final class PolicyExpressions {
  /** Most elements a comprehension ({@code all}, {@code exists}, {@code map}...) may visit. */
  public static final int MAX_ITERATIONS = 1_000;
  private static final int MAX_LENGTH = 4_096;

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setOptions(CelOptions.current()
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .maxExpressionCodePointSize(MAX_LENGTH)
          .build())
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("user", MapType.create(SimpleType.STRING, SimpleType.DYN))
      .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN))
      .addVar("app", MapType.create(SimpleType.STRING, SimpleType.DYN))
      .setResultType(SimpleType.BOOL)
      .build();

  private PolicyExpressions() {}

  /** Parses and type-checks {@code expression}, failing with the first error and its place in the expression. */
  public static CelAbstractSyntaxTree check(String expression) {
    if (expression.isBlank()) {
      throw Check.invalid("expression", "is empty (expected: a CEL expression returning bool)");
    }
    CelValidationResult result = CEL.compile(expression);
    if (result.hasError()) {
      CelIssue first = result.getErrors().get(0);
      int line = Math.max(1, first.getSourceLocation().getLine());
      int column = Math.max(0, first.getSourceLocation().getColumn()) + 1;
      String message = "invalid CEL expression: " + first.getMessage() + " (at line " + line + ", column " + column
          + " of the expression; expected: a CEL expression over user, request and app returning bool)";
      throw new InvalidConfigException(List.of(new ConfigViolation(List.of("expression"), message, false, line, column)));
    }
    try {
      return result.getAst();
    } catch (CelValidationException e) {
      throw Check.invalid("expression", "invalid CEL expression: " + e.getMessage());
    }
  }

  /** Compiles a checked expression into a thread-safe program. */
  public static CelRuntime.Program program(String expression) {
    try {
      return CEL.createProgram(check(expression));
    } catch (CelEvaluationException e) {
      throw Check.invalid("expression", "cannot plan CEL expression: " + e.getMessage());
    }
  }
}
