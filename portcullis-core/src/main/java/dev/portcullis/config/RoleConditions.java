package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code allow} or {@code deny} part of a role.
 *
 * <p>{@code appLabels} matches an app when, for every label key listed, the app has that label with one
 * of the listed values; values may use {@code *} as a wildcard, and {@code '*': ['*']} matches every
 * app. An empty map matches no app.
 *
 * @param appLabels label key to allowed values
 * @param logins the logins granted on SSH nodes (templates such as {@code {{email.local}}} allowed)
 */
public record RoleConditions(Map<String, List<String>> appLabels, List<String> logins) {
  public static final String WILDCARD = "*";
  static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9/._-]{0,62}");
  public static final RoleConditions NONE = new RoleConditions(Map.of(), List.of());

  public RoleConditions {
    Map<String, List<String>> labels = new TreeMap<>();
    for (Map.Entry<String, List<String>> entry : Check.map(appLabels, "app_labels").entrySet()) {
      String key = entry.getKey();
      List<Object> path = List.of("app_labels", key);
      List<String> values = entry.getValue();
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null || values.get(i).isEmpty()) {
          throw Check.invalid(List.of("app_labels", key, i), "is empty (expected: a value or a pattern with *)");
        }
      }
      if (key.equals(WILDCARD)) {
        if (!values.equals(List.of(WILDCARD))) {
          throw Check.invalid(path, "'*' has values " + values + " (expected: '*': ['*'] to match every app)");
        }
      } else if (!LABEL_KEY.matcher(key).matches()) {
        throw Check.invalid(path, "label key " + Check.quote(key)
            + " is not valid (expected: 1-63 characters A-Z, a-z, 0-9, /, ., _ or -, or '*')");
      }
      if (values.isEmpty()) {
        throw Check.invalid(path, "has no values (expected: at least one value or pattern)");
      }
      labels.put(key, List.copyOf(values));
    }
    appLabels = Collections.unmodifiableMap(labels);
    logins = Check.texts(logins, "logins", "a login name or template");
  }
}
