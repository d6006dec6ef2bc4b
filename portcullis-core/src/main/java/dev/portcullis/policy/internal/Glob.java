package dev.portcullis.policy.internal;

import java.util.List;

/**
 * A label value pattern where {@code *} matches any run of characters, matched without regular
 * expressions so that a pattern cannot cost more than a linear scan.
 */
public final class Glob {
  private final String pattern;
  private final List<String> parts;

  public Glob(String pattern) {
    this.pattern = pattern;
    this.parts = List.of(pattern.split("\\*", -1));
  }

  public boolean matches(String value) {
    if (parts.size() == 1) {
      return value.equals(pattern);
    }
    String first = parts.getFirst();
    String last = parts.getLast();
    if (value.length() < first.length() + last.length() || !value.startsWith(first) || !value.endsWith(last)) {
      return false;
    }
    int at = first.length();
    int end = value.length() - last.length();
    for (int i = 1; i < parts.size() - 1; i++) {
      String part = parts.get(i);
      int found = value.indexOf(part, at);
      if (found < 0 || found + part.length() > end) {
        return false;
      }
      at = found + part.length();
    }
    return true;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
