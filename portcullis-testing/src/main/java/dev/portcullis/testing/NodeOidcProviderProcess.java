package dev.portcullis.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.internal.ChildProcess;
import dev.portcullis.testing.internal.Discovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the npm package {@code oidc-provider} (a second, independent OpenID Provider) as a child
 * process on 127.0.0.1, with one client, password accounts carrying a {@code groups} claim, consent,
 * refresh tokens and RP-initiated logout. Use {@link #browser()} to sign in headless.
 *
 * <p>The script lives in {@code portcullis-testing/src/main/node}; run {@code npm ci} there first. Tests
 * should call {@link #requireAvailable()} so a missing Node.js skips locally and fails in CI.
 */
public final class NodeOidcProviderProcess implements AutoCloseable {

  /** Overrides where the node script lives (a directory with package.json and provider.mjs). */
  public static final String NODE_DIR_PROPERTY = "portcullis.testing.nodeDir";
  /** Overrides the node executable (default: {@code node} on the PATH). */
  public static final String NODE_BINARY_PROPERTY = "portcullis.testing.node";

  private static final String RELATIVE_DIR = "portcullis-testing/src/main/node";
  private static final Pattern READY = Pattern.compile("oidc-provider ready at (http://127\\.0\\.0\\.1:\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile Boolean available;

  /** An account that can sign in; its claims are {@code email} (verified), {@code name}, {@code preferred_username}, {@code groups}. */
  public record Account(String username, String password, String email, String name, List<String> groups) {
    public Account {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(name, "name");
      groups = List.copyOf(groups);
    }
  }

  /**
   * The one registered client. Without a secret it is public ({@code token_endpoint_auth_method=none});
   * with one it uses {@code client_secret_basic}. PKCE (S256) is always required.
   *
   * @param idTokenAlg {@code RS256} or {@code ES256}
   */
  public record Client(String clientId, Optional<String> clientSecret, List<URI> redirectUris,
      List<URI> postLogoutRedirectUris, String idTokenAlg) {
    public Client {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      redirectUris = List.copyOf(redirectUris);
      postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
      if (!idTokenAlg.equals("RS256") && !idTokenAlg.equals("ES256")) {
        throw new IllegalArgumentException("idTokenAlg: " + idTokenAlg + " (expected: RS256 or ES256)");
      }
    }
  }

  private final ChildProcess process;
  private final URI issuer;

  private NodeOidcProviderProcess(ChildProcess process, URI issuer) {
    this.process = process;
    this.issuer = issuer;
  }

  /** Skips the calling test when Node.js 20+ or the script's node_modules are missing; fails it when CI=true. */
  public static void requireAvailable() {
    RealComponents.requireOrSkip(isAvailable(),
        "Node.js 20+ on the PATH and `npm ci` run in " + RELATIVE_DIR + " (oidc-provider)");
  }

  /** Whether {@code node} (v20 or newer) runs and the script's dependencies are installed. */
  public static boolean isAvailable() {
    Boolean known = available;
    if (known == null) {
      known = findNodeDirectory().map(dir -> Files.isDirectory(dir.resolve("node_modules/oidc-provider"))).orElse(false)
          && nodeMajorVersion() >= 20;
      available = known;
    }
    return known;
  }

  /** Starts the provider and waits until it serves discovery. */
  public static NodeOidcProviderProcess start(Client client, List<Account> accounts) {
    Path dir = findNodeDirectory().orElseThrow(() -> new IllegalStateException(
        "cannot find " + RELATIVE_DIR + " above " + System.getProperty("user.dir")
            + "; set -D" + NODE_DIR_PROPERTY + "=<dir>"));
    if (!Files.isDirectory(dir.resolve("node_modules/oidc-provider"))) {
      throw new IllegalStateException(dir.resolve("node_modules") + " is missing: run `npm ci` in " + dir);
    }
    ProcessBuilder builder = new ProcessBuilder(nodeBinary(), "provider.mjs").directory(dir.toFile());
    builder.environment().put("PORT", "0");
    builder.environment().put("OIDC_CLIENT", json(clientJson(client)));
    builder.environment().put("OIDC_ACCOUNTS", json(accounts));
    ChildProcess process = ChildProcess.start("oidc-provider", builder);
    try {
      Matcher ready = process.awaitLine(READY, Duration.ofSeconds(30))
          .orElseThrow(() -> process.failure("no ready line within 30 s"));
      URI issuer = URI.create(ready.group(1));
      if (!Discovery.await(issuer, process, Duration.ofSeconds(15))) {
        throw process.failure("discovery at " + issuer + " did not answer");
      }
      return new NodeOidcProviderProcess(process, issuer);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /** The issuer, {@code http://127.0.0.1:<port>} (no trailing slash). */
  public URI issuer() {
    return issuer;
  }

  /** A fresh browser with its own cookies (its own provider session). */
  public ProviderBrowser browser() {
    return new ProviderBrowser(issuer);
  }

  /** The provider's recent output, for diagnosing a failing test. */
  public String output() {
    return process.output();
  }

  @Override
  public void close() {
    process.close();
  }

  /** The node script directory: the system property, else found by walking up from user.dir. */
  public static Optional<Path> findNodeDirectory() {
    String configured = System.getProperty(NODE_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured).toAbsolutePath());
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE_DIR);
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String nodeBinary() {
    String configured = System.getProperty(NODE_BINARY_PROPERTY);
    return configured != null && !configured.isBlank() ? configured : "node";
  }

  private static int nodeMajorVersion() {
    try {
      Process p = new ProcessBuilder(nodeBinary(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return -1;
      }
      Matcher m = Pattern.compile("^v(\\d+)\\.").matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static Map<String, Object> clientJson(Client client) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("client_id", client.clientId());
    client.clientSecret().ifPresent(secret -> json.put("client_secret", secret));
    json.put("redirect_uris", client.redirectUris().stream().map(URI::toString).toList());
    json.put("post_logout_redirect_uris", client.postLogoutRedirectUris().stream().map(URI::toString).toList());
    json.put("id_token_signed_response_alg", client.idTokenAlg());
    return json;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
