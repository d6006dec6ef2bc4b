package dev.portcullis.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of an audit event, shared by the JSON-lines sink, the stores and the hash chain.
 *
 * <p>Keys are written in sorted order so that the same event always yields the same bytes, which the
 * hash chain depends on.
 */
public final class AuditEventJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

  private AuditEventJson() {}

  /** Canonical single-line JSON for the event. */
  public static String write(AuditEvent event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("clientAddress", event.clientAddress());
    node.put("code", event.code().code());
    node.set("details", MAPPER.valueToTree(new java.util.TreeMap<>(event.details())));
    node.put("id", event.id());
    node.put("provider", event.provider());
    node.set("reasons", MAPPER.valueToTree(event.reasons()));
    node.put("resource", event.resource());
    node.put("time", event.time().toString());
    node.put("type", event.code().type());
    node.put("user", event.user());
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit event cannot be serialized", e);
    }
  }

  /** Parses JSON written by {@link #write(AuditEvent)}. */
  public static AuditEvent read(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      List<String> reasons = new ArrayList<>();
      node.path("reasons").forEach(reason -> reasons.add(reason.asText()));
      Map<String, String> details = new LinkedHashMap<>();
      node.path("details").properties().forEach(e -> details.put(e.getKey(), e.getValue().asText()));
      return new AuditEvent(
          node.path("id").asText(),
          AuditCode.fromCode(node.path("code").asText()),
          Instant.parse(node.path("time").asText()),
          node.path("user").asText(),
          node.path("provider").asText(),
          node.path("resource").asText(),
          reasons,
          node.path("clientAddress").asText(),
          details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit event JSON is malformed: " + e.getOriginalMessage(), e);
    }
  }
}
