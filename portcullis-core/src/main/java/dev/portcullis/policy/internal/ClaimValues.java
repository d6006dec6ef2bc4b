package dev.portcullis.policy.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * Compares a claim with accepted string values: a scalar by its string form, a list by any element.
 * Numbers compare by value, so {@code 42}, {@code 42L} and {@code 42.0} all equal {@code "42"}.
 */
final class ClaimValues {
  private ClaimValues() {}

  static boolean anyMatches(Object claim, Set<String> accepted) {
    if (claim instanceof List<?> list) {
      for (Object element : list) {
        if (!(element instanceof List<?>) && anyMatches(element, accepted)) {
          return true;
        }
      }
      return false;
    }
    String text = asText(claim);
    return text != null && accepted.contains(text);
  }

  private static String asText(Object value) {
    return switch (value) {
      case String s -> s;
      case Boolean b -> b.toString();
      case Number n -> {
        try {
          yield new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
          yield n.toString(); // NaN or Infinity
        }
      }
      case null, default -> null;
    };
  }
}
