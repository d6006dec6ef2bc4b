package dev.portcullis.node.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.portcullis.node.agent.internal.NodeSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code node join} leaves for {@code node run} and {@code node principals}: the contents of
 * {@code node.json}. The file sits in {@link AgentPaths#stateDir()} and records the other paths join used,
 * so the later commands find the same files without being told again.
 *
 * @param proxy      the Portcullis sign-in URL the node talks to
 * @param name       the node's name on the server
 * @param credential the node credential from {@code nodes/join}; never printed ({@link #toString()} hides it)
 * @param labels     the labels the node heartbeats
 * @param address    where clients reach this sshd, {@code host:port}
 * @param tlsPin     with {@code --insecure}: the proxy's TLS key seen at join ({@code sha256/BASE64} of its
 *                   SubjectPublicKeyInfo), which every later connection must present; empty: normal TLS checks
 * @param paths      the files join wrote
 */
public record NodeState(URI proxy, String name, String credential, Map<String, String> labels, String address,
    Optional<String> tlsPin, AgentPaths paths) {

  private static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_SIZE = 64 * 1024;

  public NodeState {
    proxy = NodeSettings.proxy(proxy);
    name = NodeSettings.nodeName(name);
    Objects.requireNonNull(credential, "credential");
    if (!NodeSettings.isCredential(credential)) {
      throw new IllegalArgumentException("credential: not a credential (expected: 16 to 512 printable characters)");
    }
    labels = NodeSettings.labels(labels);
    address = NodeSettings.address(address);
    Objects.requireNonNull(tlsPin, "tlsPin");
    tlsPin.ifPresent(NodeSettings::tlsPin);
    Objects.requireNonNull(paths, "paths");
  }

  /** Reads {@code node.json} from {@code stateDir}. */
  public static NodeState read(Path stateDir) throws NodeAgentException {
    Path file = stateDir.resolve("node.json");
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_SIZE) {
        throw new NodeAgentException(file + " is larger than " + MAX_SIZE + " bytes (expected: node.json written"
            + " by portcullis node join)");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NodeAgentException(file + " does not exist: this host has not joined Portcullis yet"
          + " (run portcullis node join first, or pass --state-dir)");
    } catch (IOException e) {
      throw new NodeAgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      Map<String, Object> root = readObject(bytes);
      if (!Integer.valueOf(VERSION).equals(root.get("version"))) {
        throw new IllegalArgumentException("version: " + root.get("version") + " (expected: " + VERSION + ")");
      }
      Map<String, String> files = strings(root, "files");
      AgentPaths paths = new AgentPaths(stateDir.toAbsolutePath(), path(files, "host_public_key"),
          path(files, "host_certificate"), path(files, "user_ca_keys"), path(files, "sshd_config"),
          path(files, "sshd_drop_in"));
      Object pin = root.get("tls_pin");
      return new NodeState(URI.create(text(root, "proxy")), text(root, "name"), text(root, "credential"),
          strings(root, "labels"), text(root, "address"), Optional.ofNullable(pin instanceof String p ? p : null),
          paths);
    } catch (IOException | RuntimeException e) {
      throw new NodeAgentException(file + " is unreadable: " + e.getMessage()
          + " (expected: node.json written by portcullis node join; join again to repair it)", e);
    }
  }

  /** The {@code node.json} content. */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeNumberField("version", VERSION);
      json.writeStringField("proxy", proxy.toString());
      json.writeStringField("name", name);
      json.writeStringField("credential", credential);
      json.writeStringField("address", address);
      json.writeObjectFieldStart("labels");
      for (Map.Entry<String, String> label : labels.entrySet()) {
        json.writeStringField(label.getKey(), label.getValue());
      }
      json.writeEndObject();
      if (tlsPin.isPresent()) {
        json.writeStringField("tls_pin", tlsPin.get());
      }
      json.writeObjectFieldStart("files");
      json.writeStringField("host_public_key", paths.hostPublicKey().toString());
      json.writeStringField("host_certificate", paths.hostCertificate().toString());
      json.writeStringField("user_ca_keys", paths.userCaKeys().toString());
      json.writeStringField("sshd_config", paths.sshdConfig().toString());
      json.writeStringField("sshd_drop_in", paths.sshdDropIn().toString());
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("serializing node.json", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "NodeState[name=" + name + ", proxy=" + proxy + ", labels=" + labels + ", address=" + address
        + ", credential=redacted, tlsPin=" + tlsPin.orElse("none") + "]";
  }

  /**
   * Reads node.json's shape: an object of strings and numbers, with objects of strings one level down. The
   * streaming parser keeps the principals command, which reads this file at every login attempt, quick to start.
   */
  private static Map<String, Object> readObject(byte[] bytes) throws IOException {
    Map<String, Object> root = new TreeMap<>();
    try (JsonParser parser = JSON.createParser(bytes)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_OBJECT) {
          Map<String, String> nested = new TreeMap<>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            expect(parser.nextToken(), JsonToken.VALUE_STRING);
            nested.put(key, parser.getText());
          }
          root.put(field, nested);
        } else if (value == JsonToken.VALUE_STRING) {
          root.put(field, parser.getText());
        } else if (value == JsonToken.VALUE_NUMBER_INT) {
          root.put(field, parser.getIntValue());
        } else if (value == JsonToken.VALUE_NULL) {
          root.remove(field);
        } else {
          throw new IOException(field + ": unexpected " + value);
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new IOException("trailing content");
      }
    }
    return root;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("found " + actual + " (expected: " + expected + ")");
    }
  }

  private static String text(Map<String, Object> root, String field) {
    if (!(root.get(field) instanceof String value)) {
      throw new IllegalArgumentException(field + ": missing (expected: a string)");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> strings(Map<String, Object> root, String field) {
    if (!(root.get(field) instanceof Map<?, ?> value)) {
      throw new IllegalArgumentException(field + ": missing (expected: an object)");
    }
    return (Map<String, String>) value;
  }

  private static Path path(Map<String, String> files, String field) {
    String value = files.get(field);
    if (value == null) {
      throw new IllegalArgumentException("files." + field + ": missing (expected: a path)");
    }
    return Path.of(value);
  }
}
