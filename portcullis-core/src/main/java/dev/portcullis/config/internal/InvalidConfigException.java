package dev.portcullis.config.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by configuration records and parsers when a value breaks a rule. It is an
 * {@link IllegalArgumentException} for code that builds records directly; the loader reads its
 * {@link #violations()} to add the file, line and column.
 */
public final class InvalidConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigViolation> violations;

  public InvalidConfigException(List<ConfigViolation> violations) {
    super(violations.stream().map(ConfigViolation::toString).collect(Collectors.joining("; ")));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("violations: [] (expected: at least one)");
    }
    this.violations = List.copyOf(violations);
  }

  public List<ConfigViolation> violations() {
    return violations;
  }
}
