package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.ArrayList;
import java.util.List;

/** Checks and normalizes path prefixes: a leading slash, no trailing slash (except {@code /} itself). */
final class PathPrefixes {
  static final String EXPECTED = "a path such as /admin: starts with /, no //, . or .. segments, %, ?, # or spaces";

  private PathPrefixes() {}

  static String normalize(String prefix, List<Object> path) {
    if (prefix == null || !prefix.startsWith("/")) {
      throw Check.invalid(path, (prefix == null ? "missing" : Check.quote(prefix) + " does not start with /")
          + " (expected: " + EXPECTED + ")");
    }
    boolean clean = prefix.chars().noneMatch(c -> c <= ' ' || c == 0x7f || c == '%' || c == '?' || c == '#' || c == '\\');
    String trimmed = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    for (String segment : trimmed.substring(1).split("/", -1)) {
      if (trimmed.length() > 1 && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
        clean = false;
      }
    }
    if (!clean) {
      throw Check.invalid(path, Check.quote(prefix) + " is not a plain path (expected: " + EXPECTED + ")");
    }
    return trimmed;
  }

  static List<String> normalize(List<String> prefixes, String key) {
    List<String> copy = Check.list(prefixes, key);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < copy.size(); i++) {
      out.add(normalize(copy.get(i), List.of(key, i)));
    }
    return List.copyOf(out);
  }
}
