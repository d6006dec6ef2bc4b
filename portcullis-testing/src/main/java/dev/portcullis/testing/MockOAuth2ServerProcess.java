package dev.portcullis.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.internal.ChildProcess;
import dev.portcullis.testing.internal.Discovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs NAV's mock-oauth2-server as a separate JVM on 127.0.0.1: a real OpenID Provider that signs
 * RS256 tokens for any issuer id ({@code /default}, {@code /corp}...). {@link #login} chooses the
 * subject and claims of each sign-in non-interactively by submitting its login form.
 */
public final class MockOAuth2ServerProcess implements AutoCloseable {

  /** The server's own main class (mock-oauth2-server's standalone entry point). */
  public static final String MAIN_CLASS = "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt";
  /** Non-interactive by default (a GET to /authorize signs in a random subject); Netty serves concurrent requests. */
  public static final String DEFAULT_CONFIG = "{\"interactiveLogin\":false,\"httpServer\":\"NettyWrapper\"}";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 3;

  private final ChildProcess process;
  private final URI baseUri;
  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

  private MockOAuth2ServerProcess(ChildProcess process, URI baseUri) {
    this.process = process;
    this.baseUri = baseUri;
  }

  /** Starts the server with {@link #DEFAULT_CONFIG}. */
  public static MockOAuth2ServerProcess start() {
    return start(DEFAULT_CONFIG);
  }

  /**
   * Starts the server with a mock-oauth2-server JSON config (its {@code JSON_CONFIG}), for example
   * with {@code tokenCallbacks} that fix claims per issuer. Waits until {@code /default} serves discovery.
   */
  public static MockOAuth2ServerProcess start(String jsonConfig) {
    Objects.requireNonNull(jsonConfig, "jsonConfig");
    IllegalStateException last = null;
    // The port is picked free and then handed over, so another process may grab it in between: retry.
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int port = freePort();
      ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC", "-cp", classPath(), MAIN_CLASS);
      builder.environment().put("SERVER_HOSTNAME", "127.0.0.1");
      builder.environment().put("SERVER_PORT", Integer.toString(port));
      builder.environment().put("JSON_CONFIG", jsonConfig);
      builder.environment().remove("JSON_CONFIG_PATH");
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      ChildProcess process = ChildProcess.start("mock-oauth2-server", builder);
      URI base = URI.create("http://127.0.0.1:" + port);
      if (Discovery.await(URI.create(base + "/default"), process, Duration.ofSeconds(60))) {
        return new MockOAuth2ServerProcess(process, base);
      }
      last = process.failure("discovery on port " + port + " did not answer (attempt " + attempt + ")");
      process.close();
    }
    throw last;
  }

  /** {@code http://127.0.0.1:<port>} */
  public URI baseUri() {
    return baseUri;
  }

  /** The issuer for an issuer id; every id is its own issuer with its own signing key. */
  public URI issuer(String issuerId) {
    if (!issuerId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("issuerId: " + issuerId + " (expected: letters, digits, '.', '_', '-')");
    }
    return URI.create(baseUri + "/" + issuerId);
  }

  /**
   * Signs in at an authorization URL of this server as {@code subject} with extra {@code claims}
   * (which land in the ID token, the access token and userinfo), and returns the redirect back to
   * the relying party with {@code code} and {@code state}. The redirect is not followed.
   */
  public URI login(URI authorizationUrl, String subject, Map<String, ?> claims) {
    Objects.requireNonNull(subject, "subject");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("username", subject);
    try {
      form.put("claims", JSON.writeValueAsString(claims));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(authorizationUrl)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(ProviderBrowser.encode(form)))
        .timeout(Duration.ofSeconds(10))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.headers().firstValue("Location").map(authorizationUrl::resolve)
          .orElseThrow(() -> new IllegalStateException(
              "login answered HTTP " + response.statusCode() + " without a redirect:\n" + response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException("login at " + authorizationUrl + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The server's recent output, for diagnosing a failing test. */
  public String output() {
    return process.output();
  }

  @Override
  public void close() {
    process.close();
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Surefire may run tests from a manifest-only jar; its real class path is in this property. */
  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
