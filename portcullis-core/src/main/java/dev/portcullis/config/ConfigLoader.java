package dev.portcullis.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.internal.ConfigBinding;
import dev.portcullis.config.internal.ConfigPath;
import dev.portcullis.config.internal.ConfigViolation;
import dev.portcullis.config.internal.DerivedDefaults;
import dev.portcullis.config.internal.EnvSubstitution;
import dev.portcullis.config.internal.InvalidConfigException;
import dev.portcullis.config.internal.UnknownKeys;
import dev.portcullis.config.internal.YamlDocument;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code portcullis.yaml} into a checked {@link PortcullisConfig}. Every problem is reported as
 * {@code file:line:column: key.path: what is wrong (expected: ...)}, including cross-field problems.
 *
 * <p>The steps: parse YAML (syntax errors, duplicate keys), substitute {@code ${ENV}} references, fill
 * derived defaults, bind to the records (types, unknown keys, value rules), then cross-check.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Loads {@code file} with {@code ${...}} resolved from the process environment. */
  public static PortcullisConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** Loads {@code file} with {@code ${...}} resolved from {@code environment}. */
  public static PortcullisConfig load(Path file, Map<String, String> environment) {
    String source = file.toString();
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(List.of(new ConfigProblem(source, 0, 0, "", "is not UTF-8 text")));
    } catch (IOException e) {
      throw new ConfigException(List.of(new ConfigProblem(source, 0, 0, "", "cannot read: " + e)));
    }
    return parse(text, source, environment);
  }

  /** Parses YAML text; {@code sourceName} names it in messages. Uses the process environment. */
  public static PortcullisConfig parse(String yaml, String sourceName) {
    return parse(yaml, sourceName, System.getenv());
  }

  /**
   * Parses YAML text with {@code ${...}} resolved from {@code environment}.
   *
   * @throws ConfigException listing every problem found, each with its line and column
   */
  public static PortcullisConfig parse(String yaml, String sourceName, Map<String, String> environment) {
    YamlDocument document;
    try {
      document = YamlDocument.parse(yaml);
    } catch (YamlDocument.SyntaxError e) {
      throw new ConfigException(List.of(new ConfigProblem(sourceName, e.location().line(), e.location().column(),
          "", e.getMessage())));
    }
    JsonNode root = document.root();
    Set<String> substituted;
    try {
      substituted = EnvSubstitution.apply(root, environment);
    } catch (InvalidConfigException e) {
      throw located(e, document, sourceName, Set.of());
    }
    DerivedDefaults.apply(root, ServerConfig.DEFAULT_DATA_DIR);
    try {
      UnknownKeys.check(root, PortcullisConfig.class);
      return ConfigBinding.bind(root, PortcullisConfig.class);
    } catch (InvalidConfigException e) {
      throw located(e, document, sourceName, substituted);
    }
  }

  private static ConfigException located(
      InvalidConfigException e, YamlDocument document, String source, Set<String> substituted) {
    List<ConfigProblem> problems = e.violations().stream()
        .map(v -> problem(v, document, source, substituted))
        .toList();
    return new ConfigException(problems);
  }

  private static ConfigProblem problem(
      ConfigViolation violation, YamlDocument document, String source, Set<String> substituted) {
    YamlDocument.Location at;
    if (violation.lineInValue() > 0 && !substituted.contains(ConfigPath.pointer(violation.path()))) {
      at = document.locateInside(violation.path(), violation.lineInValue(), violation.columnInValue());
    } else {
      at = document.locate(violation.path(), violation.atKey());
    }
    return new ConfigProblem(source, at.line(), at.column(), ConfigPath.render(violation.path()), violation.message());
  }
}
