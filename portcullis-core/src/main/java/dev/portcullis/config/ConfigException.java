package dev.portcullis.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that cannot be used; the message lists every problem, one per line. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems: [] (expected: at least one)");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems in the order found: syntax, then environment, then binding, then cross checks. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
