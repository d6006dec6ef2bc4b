package dev.portcullis.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML file read once into a JSON tree plus the line and column of every key and value, so that
 * errors found later (while binding or cross-checking) can point at the offending place.
 *
 * <p>Every scalar becomes a text node holding its source text ({@code 1.10} stays {@code "1.10"}, not
 * 1.1); binding converts text to booleans and numbers where a record asks for them. Anchors and
 * aliases are refused: they are rare in config files and let a small file expand without bound.
 */
public final class YamlDocument {
  /** A 1-based position in the source text. */
  public record Location(int line, int column) {}

  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .loaderOptions(limits())
      .build();

  private final JsonNode root;
  private final Map<String, Location> keys = new HashMap<>();
  private final Map<String, Location> values = new HashMap<>();
  private final java.util.Set<String> blocks = new java.util.HashSet<>();
  private final List<String> lines;

  private YamlDocument(String text, JsonParser parser) throws IOException {
    this.lines = text.lines().toList();
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new SyntaxError(new Location(1, 1), "the file is empty (expected: a YAML mapping with server and"
          + " identity_providers)");
    }
    if (first != JsonToken.START_OBJECT) {
      throw new SyntaxError(location(parser), "the top level is not a mapping (expected: keys such as server:"
          + " and identity_providers:)");
    }
    this.root = read(parser, new ArrayList<>());
    if (parser.nextToken() != null) {
      throw new SyntaxError(location(parser), "a second YAML document follows (expected: exactly one document)");
    }
  }

  /**
   * Parses {@code text}.
   *
   * @throws SyntaxError with the position of the first YAML syntax error, duplicate key or alias
   */
  public static YamlDocument parse(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      return new YamlDocument(text, parser);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new SyntaxError(new Location(1, 1), "cannot read YAML: " + e.getMessage());
    }
  }

  private static SyntaxError syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      // SnakeYAML marks are 0-based; its context says where the broken construct began.
      Mark problem = yaml.getProblemMark();
      String context = yaml.getContext() == null || yaml.getContextMark() == null ? "" : " (" + yaml.getContext()
          + " started at line " + (yaml.getContextMark().getLine() + 1) + ", column "
          + (yaml.getContextMark().getColumn() + 1) + ")";
      return new SyntaxError(new Location(problem.getLine() + 1, problem.getColumn() + 1),
          "YAML syntax error: " + yaml.getProblem() + context);
    }
    JsonLocation at = e.getLocation();
    String message = e.getOriginalMessage() == null ? "invalid YAML" : e.getOriginalMessage().lines()
        .findFirst().orElse("invalid YAML");
    Location location = at == null ? new Location(1, 1) : new Location(Math.max(1, at.getLineNr()),
        Math.max(1, at.getColumnNr()));
    return new SyntaxError(location, "YAML syntax error: " + message);
  }

  public JsonNode root() {
    return root;
  }

  /**
   * Locates {@code path}: its key when {@code atKey}, else its value. A mapping or list that starts on
   * the line after its key is located at its key, the line a reader looks for. A path that is not in
   * the file (a missing key) falls back to its nearest ancestor that is.
   */
  public Location locate(List<Object> path, boolean atKey) {
    for (int end = path.size(); end >= 0; end--) {
      String pointer = ConfigPath.pointer(path.subList(0, end));
      Location key = keys.get(pointer);
      Location value = values.get(pointer);
      if (key != null && (value == null || (atKey && end == path.size())
          || (blocks.contains(pointer) && value.line() != key.line()))) {
        return key;
      }
      if (value != null) {
        return value;
      }
    }
    return new Location(1, 1);
  }

  /**
   * Locates a position inside a scalar value, such as a CEL error at line 1, column 12 of an
   * expression. Exact for plain and quoted single-line scalars and for literal blocks ({@code |});
   * anything else falls back to the value's start.
   */
  public Location locateInside(List<Object> path, int lineInValue, int columnInValue) {
    Location start = locate(path, false);
    if (lineInValue < 1 || columnInValue < 1 || start.line() > lines.size()
        || !values.containsKey(ConfigPath.pointer(path))) {
      return start;
    }
    String line = lines.get(start.line() - 1);
    char first = start.column() <= line.length() ? line.charAt(start.column() - 1) : ' ';
    if (first == '|') {
      int target = start.line() + lineInValue;
      if (target > lines.size()) {
        return start;
      }
      String firstContent = lines.get(start.line());
      int indent = firstContent.length() - firstContent.stripLeading().length();
      return new Location(target, indent + columnInValue);
    }
    if (lineInValue != 1 || first == '>') {
      return start;
    }
    int quote = first == '"' || first == '\'' ? 1 : 0;
    return new Location(start.line(), start.column() + quote + columnInValue - 1);
  }

  private JsonNode read(JsonParser parser, List<Object> path) throws IOException {
    String pointer = ConfigPath.pointer(path);
    values.putIfAbsent(pointer, location(parser));
    JsonToken token = parser.currentToken();
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      throw new SyntaxError(location(parser), "YAML alias *" + parser.getText()
          + " is not supported (expected: the value written out)");
    }
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      blocks.add(pointer);
    }
    return switch (token) {
      case START_OBJECT -> readObject(parser, path);
      case START_ARRAY -> readArray(parser, path);
      case VALUE_NULL -> JsonNodeFactory.instance.nullNode();
      default -> JsonNodeFactory.instance.textNode(parser.getText());
    };
  }

  private ObjectNode readObject(JsonParser parser, List<Object> path) throws IOException {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      List<Object> child = new ArrayList<>(path);
      child.add(key);
      String pointer = ConfigPath.pointer(child);
      if (node.has(key)) {
        throw new SyntaxError(location(parser), "duplicate key " + Check.quote(key) + " in " + describe(path)
            + " (expected: each key once; first at line " + keys.get(pointer).line() + ")");
      }
      keys.put(pointer, location(parser));
      parser.nextToken();
      node.set(key, read(parser, child));
    }
    return node;
  }

  private ArrayNode readArray(JsonParser parser, List<Object> path) throws IOException {
    ArrayNode node = JsonNodeFactory.instance.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      List<Object> child = new ArrayList<>(path);
      child.add(node.size());
      node.add(read(parser, child));
    }
    return node;
  }

  private static String describe(List<Object> path) {
    return path.isEmpty() ? "the top level" : ConfigPath.render(path);
  }

  private static Location location(JsonParser parser) {
    JsonLocation at = parser.currentTokenLocation();
    return new Location(Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
  }

  private static LoaderOptions limits() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(0);
    options.setCodePointLimit(4 * 1024 * 1024);
    options.setNestingDepthLimit(50);
    return options;
  }

  /** A YAML problem found before any value could be bound. */
  public static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Location location;

    SyntaxError(Location location, String message) {
      super(message);
      this.location = location;
    }

    public Location location() {
      return location;
    }
  }
}
