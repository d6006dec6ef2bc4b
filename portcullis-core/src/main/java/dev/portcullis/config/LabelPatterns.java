package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Checks a role's label selectors ({@code app_labels}, {@code node_labels}): keys, patterns and the wildcard. */
final class LabelPatterns {
  static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9/._-]{0,62}");

  private LabelPatterns() {}

  /**
   * Copies {@code selector}, sorted by key.
   *
   * @param key the config key, such as {@code node_labels}
   * @param kind what the labels select, such as {@code node}, for messages
   */
  static Map<String, List<String>> normalize(Map<String, List<String>> selector, String key, String kind) {
    Map<String, List<String>> labels = new TreeMap<>();
    for (Map.Entry<String, List<String>> entry : Check.map(selector, key).entrySet()) {
      String label = entry.getKey();
      List<Object> path = List.of(key, label);
      List<String> values = entry.getValue();
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null || values.get(i).isEmpty()) {
          throw Check.invalid(List.of(key, label, i), "is empty (expected: a value or a pattern with *)");
        }
      }
      if (label.equals(RoleConditions.WILDCARD)) {
        if (!values.equals(List.of(RoleConditions.WILDCARD))) {
          throw Check.invalid(path, "'*' has values " + values + " (expected: '*': ['*'] to match every " + kind + ")");
        }
      } else if (!LABEL_KEY.matcher(label).matches()) {
        throw Check.invalid(path, "label key " + Check.quote(label)
            + " is not valid (expected: 1-63 characters A-Z, a-z, 0-9, /, ., _ or -, or '*')");
      }
      if (values.isEmpty()) {
        throw Check.invalid(path, "has no values (expected: at least one value or pattern)");
      }
      labels.put(label, List.copyOf(values));
    }
    return Collections.unmodifiableMap(labels);
  }
}
