package dev.portcullis.config.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.portcullis.config.Cidr;
import dev.portcullis.config.Durations;
import dev.portcullis.config.IdentityProviderConfig;
import dev.portcullis.config.ListenAddress;
import dev.portcullis.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Binds the JSON tree of the file to the configuration records with Jackson (snake_case keys, unknown
 * keys refused) and turns every Jackson failure into a {@link ConfigViolation} with the full key path
 * and a message that says what was expected.
 */
public final class ConfigBinding {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .addModule(new Jdk8Module())
      .addModule(new SimpleModule("portcullis-config")
          .addDeserializer(Duration.class, scalar(Duration.class, Durations::parse))
          .addDeserializer(Cidr.class, scalar(Cidr.class, Cidr::parse))
          .addDeserializer(ListenAddress.class, scalar(ListenAddress.class, ListenAddress::parse))
          .addDeserializer(Secret.class, scalar(Secret.class, Secret::new))
          .addDeserializer(URI.class, scalar(URI.class, Urls::parse))
          .addDeserializer(Path.class, scalar(Path.class, ConfigBinding::path)))
      .build();

  private ConfigBinding() {}

  /**
   * Binds {@code root} to {@code type}.
   *
   * @throws InvalidConfigException with the violations found, paths from the root
   */
  public static <T> T bind(JsonNode root, Class<T> type) {
    try {
      return MAPPER.treeToValue(root, type);
    } catch (JsonMappingException e) {
      throw new InvalidConfigException(translate(e, root));
    } catch (IOException e) {
      throw Check.invalid(List.of(), "cannot bind configuration: " + e.getMessage());
    }
  }

  private static List<ConfigViolation> translate(JsonMappingException e, JsonNode root) {
    List<Object> path = new ArrayList<>();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.add(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.add(ref.getIndex());
      }
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidConfigException invalid) {
        return invalid.violations().stream().map(v -> v.under(path)).toList();
      }
    }
    String message = describe(e, path, root);
    return List.of(new ConfigViolation(path, message, e instanceof UnrecognizedPropertyException, 0, 0));
  }

  private static String describe(JsonMappingException e, List<Object> path, JsonNode root) {
    return switch (e) {
      case UnrecognizedPropertyException u -> "unknown key (expected one of: " + u.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
      case InvalidTypeIdException t -> {
        path.add("type");
        yield (t.getTypeId() == null ? "missing" : Check.quote(t.getTypeId()) + " is not a provider type")
            + " (expected: " + subtypeNames() + ")";
      }
      case InvalidFormatException f -> found(root, path) + " is not " + expected(f.getTargetType());
      case MismatchedInputException m when m.getTargetType() != null ->
          found(root, path) + " is not " + expected(m.getTargetType());
      default -> e.getOriginalMessage();
    };
  }

  private static String expected(Class<?> type) {
    if (type == boolean.class || type == Boolean.class) {
      return "a boolean (expected: true or false)";
    }
    if (type.isEnum()) {
      String names = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT))
          .collect(Collectors.joining(", "));
      return "a known value (expected: one of " + names + ")";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list (expected: a YAML list, such as [a, b] or lines starting with -)";
    }
    if (type == String.class || Number.class.isAssignableFrom(type) || type.isPrimitive()
        || type == Secret.class || type == Optional.class) {
      return "a single value (expected: a string or number, not a list or mapping)";
    }
    return "a mapping (expected: key: value pairs)";
  }

  /** Describes the value at {@code path} without repeating long or secret text. */
  private static String found(JsonNode root, List<Object> path) {
    JsonNode node = root;
    for (Object segment : path) {
      if (segment instanceof Integer i) {
        // A single value where a list belongs is read as a one-element list: describe that value.
        node = node.isArray() ? node.path(i) : node;
      } else {
        node = node.path((String) segment);
      }
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNull() || node.isMissingNode()) {
      return "an empty value";
    }
    String text = node.asText();
    return text.length() > 40 ? "a value" : Check.quote(text);
  }

  private static String subtypeNames() {
    var annotation = IdentityProviderConfig.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
    return Arrays.stream(annotation.value()).map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name)
        .collect(Collectors.joining(" or "));
  }

  private static Path path(String text) {
    if (text.isBlank()) {
      throw Check.invalid(List.of(), "is empty (expected: a file or directory path)");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw Check.invalid(List.of(), Check.quote(text) + " is not a valid path: " + e.getReason());
    }
  }

  private static <T> StdScalarDeserializer<T> scalar(Class<T> type, Function<String, T> parse) {
    return new StdScalarDeserializer<>(type) {
      private static final long serialVersionUID = 1L;

      @Override
      public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
          JavaType javaType = context.constructType(type);
          return type.cast(context.handleUnexpectedToken(javaType, parser));
        }
        return parse.apply(parser.getText());
      }
    };
  }
}
