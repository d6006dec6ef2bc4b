package dev.portcullis.config.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * One broken rule in the configuration, located by its key path relative to the value that found it.
 *
 * @param path mapping keys ({@link String}) and list indexes ({@link Integer}) leading to the value
 * @param message what is wrong and what was expected, without the path
 * @param atKey whether the key itself is wrong (an unknown key), so the location is the key's
 * @param lineInValue 1-based line inside a multi-character value (a CEL expression), or 0 for the value's start
 * @param columnInValue 1-based column inside that line of the value, or 0
 */
public record ConfigViolation(
    List<Object> path, String message, boolean atKey, int lineInValue, int columnInValue) {

  public ConfigViolation {
    path = List.copyOf(path);
    requireNonNull(message, "message");
  }

  public ConfigViolation(List<Object> path, String message) {
    this(path, message, false, 0, 0);
  }

  /** Returns this violation with {@code prefix} put in front of its path. */
  public ConfigViolation under(List<Object> prefix) {
    List<Object> full = new ArrayList<>(prefix);
    full.addAll(path);
    return new ConfigViolation(full, message, atKey, lineInValue, columnInValue);
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : ConfigPath.render(path) + ": " + message;
  }
}
