package dev.portcullis.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.http.server.SimpleResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** JSON in and out of the API: bodies, string fields with limits, and the one error shape. */
final class ApiJson {
  static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

  private ApiJson() {}

  /** A rejected request, answered {@code {"error": code, "message": message}}. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  static JsonNode parse(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new ApiError(400, "invalid-json", "the body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ApiError(400, "invalid-json", "the body is not valid JSON");
    }
  }

  /** A required string field of at most {@code maxLength} characters. */
  static String text(JsonNode body, String field, int maxLength) {
    return optionalText(body, field, maxLength)
        .orElseThrow(() -> new ApiError(400, "missing-field", field + ": required (expected: a string)"));
  }

  static Optional<String> optionalText(JsonNode body, String field, int maxLength) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > maxLength) {
      throw new ApiError(400, "invalid-field", field + ": expected a non-empty string of at most " + maxLength + " characters");
    }
    return Optional.of(value.asText());
  }

  /** A string-to-string object such as labels, with bounded size. */
  static Map<String, String> labels(JsonNode body, String field) {
    JsonNode value = body.get(field);
    Map<String, String> labels = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return labels;
    }
    if (!value.isObject() || value.size() > 64) {
      throw new ApiError(400, "invalid-field", field + ": expected an object of at most 64 string values");
    }
    for (var entry : value.properties()) {
      String key = entry.getKey();
      String text = entry.getValue().asText();
      if (!entry.getValue().isTextual() || !key.matches("[A-Za-z0-9_./-]{1,63}") || !text.matches("[A-Za-z0-9_.:/-]{0,63}")) {
        throw new ApiError(400, "invalid-field", field + "." + key + ": expected label name and value of letters, digits, '_', '.', '-', '/'");
      }
      labels.put(key, text);
    }
    return labels;
  }

  static SimpleResponse ok(Object body) {
    return json(200, body);
  }

  static SimpleResponse json(int status, Object body) {
    try {
      return SimpleResponse.json(status, MAPPER.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("API response cannot be serialized", e);
    }
  }

  static SimpleResponse error(ApiError error) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error.code);
    body.put("message", error.getMessage());
    return json(error.status, body);
  }
}
