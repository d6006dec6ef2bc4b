package dev.portcullis.policy.internal;

import java.util.List;
import java.util.Locale;

/**
 * {@code path_prefixes}: the path is one of the prefixes or below it, segment by segment:
 * {@code /admin} matches {@code /admin} and {@code /admin/x} but not {@code /administrator}.
 *
 * <p>An allowing criterion must hold for every reading of the path ({@link RequestPath}); a denying
 * one holds for any reading and also ignores case, since some upstreams serve {@code /ADMIN} as
 * {@code /admin}.
 */
public final class PathPrefixesCriterion implements Criterion {
  private final List<String> prefixes;
  private final List<String> lowerPrefixes;
  private final Effect effect;
  private final String described;

  public PathPrefixesCriterion(List<String> prefixes, Effect effect) {
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("path_prefixes: [] (expected: at least one prefix)");
    }
    for (String prefix : prefixes) {
      if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
        throw new IllegalArgumentException("path_prefixes: \"" + prefix
            + "\" (expected: starts with / and has no trailing /)");
      }
    }
    this.prefixes = List.copyOf(prefixes);
    this.lowerPrefixes = prefixes.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    this.effect = effect;
    this.described = "path_prefixes " + prefixes;
  }

  @Override
  public Outcome test(EvaluationContext context) {
    return matches(context.path()) != null ? Outcome.MATCH : Outcome.NO_MATCH;
  }

  /** Returns the matching prefix, or null. */
  public String matches(RequestPath path) {
    List<String> readings = path.readings();
    if (effect == Effect.DENY) {
      for (String reading : readings) {
        String found = first(prefixes, reading);
        if (found == null) {
          int index = indexOf(lowerPrefixes, reading.toLowerCase(Locale.ROOT));
          found = index < 0 ? null : prefixes.get(index);
        }
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    String found = null;
    for (String reading : readings) {
      found = first(prefixes, reading);
      if (found == null) {
        return null;
      }
    }
    return found;
  }

  private static String first(List<String> prefixes, String path) {
    int index = indexOf(prefixes, path);
    return index < 0 ? null : prefixes.get(index);
  }

  private static int indexOf(List<String> prefixes, String path) {
    for (int i = 0; i < prefixes.size(); i++) {
      if (under(path, prefixes.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Segment-aware: {@code path} equals {@code prefix} or continues it with a slash. */
  static boolean under(String path, String prefix) {
    if (prefix.equals("/")) {
      return true;
    }
    return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }

  @Override
  public String describe() {
    return described;
  }
}
