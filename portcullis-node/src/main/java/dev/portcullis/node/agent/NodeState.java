package dev.portcullis.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.node.agent.internal.NodeSettings;
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
  private static final ObjectMapper JSON = new ObjectMapper();
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
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject() || root.path("version").asInt() != VERSION) {
        throw new IllegalArgumentException("version: " + (root == null ? null : root.path("version"))
            + " (expected: " + VERSION + ")");
      }
      Map<String, String> labels = new TreeMap<>();
      root.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      JsonNode files = root.path("files");
      AgentPaths paths = new AgentPaths(stateDir.toAbsolutePath(), path(files, "host_public_key"),
          path(files, "host_certificate"), path(files, "user_ca_keys"), path(files, "sshd_config"),
          path(files, "sshd_drop_in"));
      return new NodeState(URI.create(text(root, "proxy")), text(root, "name"), text(root, "credential"), labels,
          text(root, "address"), Optional.ofNullable(root.path("tls_pin").textValue()), paths);
    } catch (IOException | RuntimeException e) {
      throw new NodeAgentException(file + " is unreadable: " + e.getMessage()
          + " (expected: node.json written by portcullis node join; join again to repair it)", e);
    }
  }

  /** The {@code node.json} content. */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode().put("version", VERSION).put("proxy", proxy.toString())
        .put("name", name).put("credential", credential).put("address", address);
    ObjectNode labelsNode = root.putObject("labels");
    labels.forEach(labelsNode::put);
    tlsPin.ifPresent(pin -> root.put("tls_pin", pin));
    root.putObject("files")
        .put("host_public_key", paths.hostPublicKey().toString())
        .put("host_certificate", paths.hostCertificate().toString())
        .put("user_ca_keys", paths.userCaKeys().toString())
        .put("sshd_config", paths.sshdConfig().toString())
        .put("sshd_drop_in", paths.sshdDropIn().toString());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("serializing node.json", e);
    }
  }

  @Override
  public String toString() {
    return "NodeState[name=" + name + ", proxy=" + proxy + ", labels=" + labels + ", address=" + address
        + ", credential=redacted, tlsPin=" + tlsPin.orElse("none") + "]";
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + ": missing (expected: a string)");
    }
    return value.textValue();
  }

  private static Path path(JsonNode files, String field) {
    return Path.of(text(files, field));
  }
}
