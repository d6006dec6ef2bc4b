package dev.portcullis.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A role's {@code app_labels} or {@code node_labels}: matches a resource when every listed key is among
 * its labels with a value that one of the key's patterns matches. {@code '*': ['*']} matches every
 * resource; an empty selector matches none, so a role grants nothing by accident.
 */
public final class LabelSelector {
  public static final LabelSelector NONE = new LabelSelector(Map.of());

  private final Map<String, List<Glob>> patterns;
  private final boolean everything;

  public LabelSelector(Map<String, List<String>> appLabels) {
    Map<String, List<Glob>> compiled = new LinkedHashMap<>();
    boolean wildcard = false;
    for (Map.Entry<String, List<String>> entry : appLabels.entrySet()) {
      if (entry.getKey().equals("*") && entry.getValue().equals(List.of("*"))) {
        wildcard = true;
      } else {
        compiled.put(entry.getKey(), entry.getValue().stream().map(Glob::new).toList());
      }
    }
    this.patterns = Map.copyOf(compiled);
    this.everything = wildcard;
  }

  public boolean matches(Map<String, String> labels) {
    if (everything) {
      return true;
    }
    if (patterns.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, List<Glob>> entry : patterns.entrySet()) {
      String value = labels.get(entry.getKey());
      if (value == null || entry.getValue().stream().noneMatch(g -> g.matches(value))) {
        return false;
      }
    }
    return true;
  }

  /** Describes a match: {@code labels env=dev, team=web}, or {@code labels '*'} for the wildcard. */
  public String describeMatch(Map<String, String> labels) {
    if (everything) {
      return "labels '*'";
    }
    List<String> pairs = new ArrayList<>();
    patterns.keySet().stream().sorted().forEach(key -> pairs.add(key + "=" + labels.get(key)));
    return "labels " + String.join(", ", pairs);
  }

  /** Describes a resource's labels: {@code env=dev, team=web} sorted by key, or {@code none}. */
  public static String describe(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "none";
    }
    List<String> pairs = new ArrayList<>();
    labels.keySet().stream().sorted().forEach(key -> pairs.add(key + "=" + labels.get(key)));
    return String.join(", ", pairs);
  }
}
