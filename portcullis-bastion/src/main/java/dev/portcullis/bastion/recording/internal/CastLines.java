package dev.portcullis.bastion.recording.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The lines of an asciicast v2 file: a header object, then one {@code [time, code, data]} array per event,
 * each on its own line and ended by a newline.
 */
public final class CastLines {
  /** The asciicast format version this code writes and reads. */
  public static final int VERSION = 2;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

  private CastLines() {}

  /** The header line, newline included. */
  public static byte[] header(int width, int height, long timestamp, Optional<String> term, String title) {
    ObjectNode header = JSON.createObjectNode();
    header.put("version", VERSION);
    header.put("width", width);
    header.put("height", height);
    header.put("timestamp", timestamp);
    if (!title.isEmpty()) {
      header.put("title", title);
    }
    term.ifPresent(value -> header.putObject("env").put("TERM", value));
    try {
      return (JSON.writeValueAsString(header) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An event line, newline included: {@code micros} since the start, a one-letter event code and its text. */
  public static byte[] event(long micros, char code, String data) {
    StringBuilder line = new StringBuilder(data.length() + 32);
    line.append('[').append(micros / 1_000_000).append('.');
    String fraction = Long.toString(micros % 1_000_000);
    line.repeat('0', 6 - fraction.length()).append(fraction);
    line.append(", \"").append(code).append("\", \"");
    STRINGS.quoteAsString(data, line);
    line.append("\"]\n");
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code line} (no newline) is a version 2 header. */
  public static boolean isHeader(String line) {
    return isHeader(parse(line));
  }

  /** Whether {@code node} (null for no JSON) is a version 2 header. */
  public static boolean isHeader(JsonNode node) {
    return node != null && node.isObject() && node.path("version").asInt() == VERSION
        && node.path("width").isInt() && node.path("height").isInt();
  }

  /** Whether {@code line} (no newline) is a complete event: a time, a code and a text. */
  public static boolean isEvent(String line) {
    return isEvent(parse(line));
  }

  /** Whether {@code node} (null for no JSON) is a complete event: a time, a code and a text. */
  public static boolean isEvent(JsonNode node) {
    return node != null && node.isArray() && node.size() == 3 && node.get(0).isNumber()
        && node.get(1).isTextual() && node.get(2).isTextual();
  }

  /** The line as JSON, or null when it is not JSON (a torn write, for example). */
  public static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }
}
