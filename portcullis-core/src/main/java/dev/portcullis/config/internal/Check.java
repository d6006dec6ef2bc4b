package dev.portcullis.config.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Validation helpers for the compact constructors of configuration records. Each failure names the
 * key and what was expected, and is thrown as an {@link InvalidConfigException}.
 */
public final class Check {
  private Check() {}

  /** Returns an exception for {@code key} with {@code message}, ready to throw. */
  public static InvalidConfigException invalid(String key, String message) {
    return invalid(List.of(key), message);
  }

  public static InvalidConfigException invalid(List<Object> path, String message) {
    return new InvalidConfigException(List.of(new ConfigViolation(path, message)));
  }

  /** Fails with {@code missing (expected: ...)} when {@code value} is null. */
  public static <T> T required(T value, String key, String expected) {
    if (value == null) {
      throw invalid(key, "missing (expected: " + expected + ")");
    }
    return value;
  }

  /** Requires a non-blank string. */
  public static String text(String value, String key, String expected) {
    required(value, key, expected);
    if (value.isBlank()) {
      throw invalid(key, "is empty (expected: " + expected + ")");
    }
    return value;
  }

  /** Requires a string that matches {@code pattern} in full. */
  public static String matches(String value, Pattern pattern, String key, String expected) {
    required(value, key, expected);
    if (!pattern.matcher(value).matches()) {
      throw invalid(key, quote(value) + " is not valid (expected: " + expected + ")");
    }
    return value;
  }

  /** Fails with the supplied message unless {@code ok}. */
  public static void that(boolean ok, String key, Supplier<String> message) {
    if (!ok) {
      throw invalid(key, message.get());
    }
  }

  /** Copies a list, treating null as empty and rejecting null elements (a YAML {@code ~} in a list). */
  public static <T> List<T> list(List<T> value, String key) {
    if (value == null) {
      return List.of();
    }
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i) == null) {
        throw invalid(List.of(key, i), "is empty (expected: a value)");
      }
    }
    return List.copyOf(value);
  }

  /** Copies a list of strings like {@link #list} and also rejects blank elements. */
  public static List<String> texts(List<String> value, String key, String expected) {
    List<String> copy = list(value, key);
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i).isBlank()) {
        throw invalid(List.of(key, i), "is empty (expected: " + expected + ")");
      }
    }
    return copy;
  }

  /** Copies a map keeping its order, treating null as empty and rejecting null values. */
  public static <V> Map<String, V> map(Map<String, V> value, String key) {
    if (value == null) {
      return Map.of();
    }
    Map<String, V> copy = new LinkedHashMap<>();
    for (Map.Entry<String, V> entry : value.entrySet()) {
      if (entry.getValue() == null) {
        throw invalid(List.of(key, entry.getKey()), "is empty (expected: a value)");
      }
      copy.put(entry.getKey(), entry.getValue());
    }
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** Quotes a value for an error message, escaping quotes, backslashes and control characters. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
