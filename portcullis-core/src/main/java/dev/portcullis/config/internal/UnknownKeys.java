package dev.portcullis.config.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds every unknown key in the file before binding, by walking the tree along the record types.
 * Binding alone would report a misspelt required key as "missing" (the record is built before unknown
 * keys are looked at) and would stop at the first one; this names each typo at its own line.
 */
public final class UnknownKeys {
  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private final Violations violations = new Violations();

  private UnknownKeys() {}

  /**
   * Checks {@code root} against the records reachable from {@code type}.
   *
   * @throws InvalidConfigException listing every unknown key with the keys allowed there
   */
  public static void check(JsonNode root, Class<?> type) {
    UnknownKeys walker = new UnknownKeys();
    walker.walk(root, type, new ArrayList<>());
    walker.violations.throwIfAny();
  }

  private void walk(JsonNode node, Type type, List<Object> path) {
    if (type instanceof ParameterizedType generic) {
      Class<?> raw = (Class<?>) generic.getRawType();
      Type[] args = generic.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        if (node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            path.add(i);
            walk(node.get(i), args[0], path);
            path.removeLast();
          }
        } else {
          walk(node, args[0], path);
        }
      } else if (Map.class.isAssignableFrom(raw) && node.isObject()) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
          path.add(entry.getKey());
          walk(entry.getValue(), args[1], path);
          path.removeLast();
        }
      } else if (raw == Optional.class) {
        walk(node, args[0], path);
      }
    } else if (type instanceof Class<?> cls && node.isObject()) {
      if (cls.isRecord()) {
        walkRecord(node, cls, path, null);
      } else if (cls.isInterface() && cls.isAnnotationPresent(JsonTypeInfo.class)) {
        String property = cls.getAnnotation(JsonTypeInfo.class).property();
        String id = node.path(property).asText("");
        for (JsonSubTypes.Type subtype : cls.getAnnotation(JsonSubTypes.class).value()) {
          if (subtype.name().equals(id)) {
            walkRecord(node, subtype.value(), path, property);
          }
        }
      }
    }
  }

  private void walkRecord(JsonNode node, Class<?> record, List<Object> path, String typeProperty) {
    Map<String, Type> known = new LinkedHashMap<>();
    for (RecordComponent component : record.getRecordComponents()) {
      // @JsonProperty has no RECORD_COMPONENT target; Java copies it onto the accessor.
      JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
      String key = renamed != null && !renamed.value().isEmpty()
          ? renamed.value()
          : SNAKE_CASE.translate(component.getName());
      known.put(key, component.getGenericType());
    }
    List<String> expected = new ArrayList<>(known.keySet());
    if (typeProperty != null) {
      expected.add(typeProperty);
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      path.add(entry.getKey());
      Type childType = known.get(entry.getKey());
      if (childType != null) {
        walk(entry.getValue(), childType, path);
      } else if (!entry.getKey().equals(typeProperty)) {
        violations.addAtKey(List.copyOf(path), "unknown key (expected one of: " + String.join(", ", expected) + ")");
      }
      path.removeLast();
    }
  }
}
