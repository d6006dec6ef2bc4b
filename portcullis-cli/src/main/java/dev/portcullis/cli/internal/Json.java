package dev.portcullis.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reads the fields of the API's JSON bodies strictly: a missing or mistyped field is an error naming it. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON", e);
    }
  }

  /** Parses an object; {@code source} names where it came from in the exception message. */
  static JsonNode parseObject(String body, String source) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not JSON (" + e.getOriginalMessage() + ")");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(source + ": not a JSON object");
    }
    return node;
  }

  static String text(JsonNode node, String field, String source) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(source + ": field \"" + field + "\" is missing or not a non-empty string");
    }
    return value.asText();
  }

  static String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : "";
  }

  static List<String> strings(JsonNode node, String field, String source) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException(source + ": field \"" + field + "\" is missing or not an array");
    }
    List<String> result = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new IllegalArgumentException(source + ": field \"" + field + "\" holds a non-string");
      }
      result.add(element.asText());
    }
    return List.copyOf(result);
  }

  static Instant instant(JsonNode node, String field, String source) {
    String value = text(node, field, source);
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(source + ": field \"" + field + "\" is \"" + value
          + "\" (expected: an ISO-8601 instant such as 2030-01-01T00:00:00Z)");
    }
  }
}
