package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats the durations of the configuration file: a positive whole number and one unit,
 * {@code s}, {@code m}, {@code h} or {@code d} (for example {@code 90s}, {@code 30m}, {@code 8h}, {@code 7d}).
 */
public final class Durations {
  static final String EXPECTED = "a positive whole number and a unit s, m, h or d, for example 90s, 30m, 8h, 7d";
  private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})([smhd])");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text and the expected form when it is anything else
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw Check.invalid(List.of(), Check.quote(String.valueOf(text)) + " is not a duration (expected: " + EXPECTED + ")");
    }
    long amount = Long.parseLong(m.group(1));
    if (amount == 0) {
      throw Check.invalid(List.of(), Check.quote(text) + " is not a positive duration (expected: " + EXPECTED + ")");
    }
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /** Formats a duration in the largest unit that divides it exactly, the inverse of {@link #parse}. */
  public static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds > 0 && duration.getNano() == 0) {
      if (seconds % 86_400 == 0) {
        return seconds / 86_400 + "d";
      }
      if (seconds % 3_600 == 0) {
        return seconds / 3_600 + "h";
      }
      if (seconds % 60 == 0) {
        return seconds / 60 + "m";
      }
      return seconds + "s";
    }
    return duration.toString();
  }

  /** Requires a positive duration for {@code key}, used by records built in code. */
  static Duration positive(Duration value, String key, Duration fallback) {
    Duration d = value == null ? fallback : value;
    Check.that(d.isPositive(), key, () -> format(d) + " is not positive (expected: " + EXPECTED + ")");
    return d;
  }
}
