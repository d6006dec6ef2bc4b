package dev.portcullis.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in every string value of the tree with the environment variable NAME, so
 * secrets stay out of the file. {@code $${} writes a literal {@code ${}. Every unset variable is
 * reported, by name, at its value; the values themselves never appear in messages.
 */
public final class EnvSubstitution {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> environment;
  private final Violations violations = new Violations();
  private final Set<String> substituted = new HashSet<>();

  private EnvSubstitution(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * Substitutes in place.
   *
   * @return the JSON pointers of the values that changed, whose text no longer matches the file
   * @throws InvalidConfigException listing every unset or malformed reference
   */
  public static Set<String> apply(JsonNode root, Map<String, String> environment) {
    EnvSubstitution substitution = new EnvSubstitution(environment);
    substitution.walk(root, new ArrayList<>());
    substitution.violations.throwIfAny();
    return Set.copyOf(substitution.substituted);
  }

  private void walk(JsonNode node, List<Object> path) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        path.add(name);
        JsonNode child = object.get(name);
        if (child.isTextual()) {
          substitute(child.textValue(), path).ifPresent(v -> object.set(name, JsonNodeFactory.instance.textNode(v)));
        } else {
          walk(child, path);
        }
        path.removeLast();
      }
    } else if (node instanceof ArrayNode array) {
      int index = 0;
      for (Iterator<JsonNode> it = array.elements(); it.hasNext(); index++) {
        JsonNode child = it.next();
        path.add(index);
        if (child.isTextual()) {
          int at = index;
          substitute(child.textValue(), path).ifPresent(v -> array.set(at, JsonNodeFactory.instance.textNode(v)));
        } else {
          walk(child, path);
        }
        path.removeLast();
      }
    }
  }

  private java.util.Optional<String> substitute(String text, List<Object> path) {
    if (!text.contains("${")) {
      return java.util.Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          violations.add(List.copyOf(path), "unterminated ${ (expected: ${NAME}, or $${ for a literal ${)");
          return java.util.Optional.empty();
        }
        String name = text.substring(i + 2, end);
        if (!NAME.matcher(name).matches()) {
          violations.add(List.copyOf(path), "${" + name + "} is not an environment variable reference"
              + " (expected: ${NAME} with letters, digits and _, or $${ for a literal ${)");
        } else if (environment.get(name) == null) {
          violations.add(List.copyOf(path), "environment variable " + name
              + " is not set (expected: export " + name + ", or write $${ for a literal ${)");
        } else {
          out.append(environment.get(name));
        }
        i = end + 1;
      } else {
        out.append(text.charAt(i++));
      }
    }
    substituted.add(ConfigPath.pointer(path));
    return java.util.Optional.of(out.toString());
  }
}
