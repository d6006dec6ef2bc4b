package dev.portcullis.node.agent.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node endpoints of the Portcullis API (SSH-API.md, 7 to 9) over the JDK's HTTP client: JSON in and out,
 * the node credential as a bearer token, no redirects, bounded response sizes, and a hard deadline per call
 * that also covers name resolution.
 */
public final class ApiClient {

  static final String API = "/.portcullis/api/v1/";
  private static final int MAX_JSON = 1024 * 1024;
  private static final int MAX_PRINCIPALS = 64 * 1024;

  /** Built on first use: the principals command, which starts a JVM per login attempt, never needs it. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  /** Endpoint 7's request. */
  public record JoinRequest(String token, String name, Map<String, String> labels, String address,
      String hostPublicKey) {}

  /** Endpoint 7's answer. */
  public record JoinResponse(String credential, String hostCertificate, String hostCertificateValidBefore,
      List<String> sshUserCa) {
    @Override
    public String toString() {
      return "JoinResponse[credential=redacted, hostCertificateValidBefore=" + hostCertificateValidBefore + "]";
    }
  }

  /** Endpoint 8's request. */
  public record HeartbeatRequest(Map<String, String> labels) {}

  /** One account of endpoint 8's answer. */
  public record Account(String login, boolean sudo) {}

  /** Endpoint 8's answer; {@code hostCertificate} is null unless the server renewed it. */
  public record HeartbeatResponse(List<Account> accounts, List<String> sshUserCa, String hostCertificate) {}

  private record ErrorBody(String error, String message) {}

  private final URI base;
  private final HttpClient http;
  private final ProxyTls tls;

  public ApiClient(URI proxy, ProxyTls tls, Duration connectTimeout) {
    this.base = NodeSettings.proxy(proxy).resolve(API);
    this.tls = Objects.requireNonNull(tls, "tls");
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1);
    if (base.getScheme().equals("https")) {
      builder.sslContext(tls.context());
    }
    this.http = builder.build();
  }

  public ProxyTls tls() {
    return tls;
  }

  /** {@code POST nodes/join}, no credential: the token is the proof. */
  public JoinResponse join(JoinRequest request, Duration timeout) throws IOException {
    return Json.MAPPER.readValue(send(post("nodes/join", null, request), MAX_JSON, timeout), JoinResponse.class);
  }

  /** {@code POST nodes/heartbeat}. */
  public HeartbeatResponse heartbeat(String credential, Map<String, String> labels, Duration timeout)
      throws IOException {
    byte[] body = send(post("nodes/heartbeat", credential, new HeartbeatRequest(labels)), MAX_JSON, timeout);
    return Json.MAPPER.readValue(body, HeartbeatResponse.class);
  }

  /** {@code GET nodes/principals}: the plain-text body. */
  public String principals(String credential, String login, String keyId, Duration timeout) throws IOException {
    URI uri = base.resolve("nodes/principals?login=" + URLEncoder.encode(login, StandardCharsets.UTF_8)
        + "&key_id=" + URLEncoder.encode(keyId, StandardCharsets.UTF_8));
    HttpRequest request = request(uri, credential).GET().header("Accept", "text/plain").build();
    return new String(send(request, MAX_PRINCIPALS, timeout), StandardCharsets.UTF_8);
  }

  private HttpRequest post(String path, String credential, Object body) throws IOException {
    return request(base.resolve(path), credential)
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .build();
  }

  private static HttpRequest.Builder request(URI uri, String credential) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("User-Agent", "portcullis-node");
    if (credential != null) {
      builder.header("Authorization", "Bearer " + credential);
    }
    return builder;
  }

  private HttpTimeoutException timedOut(Duration timeout) {
    return new HttpTimeoutException("no answer from " + base.getHost() + ":" + base.getPort() + " within "
        + timeout.toMillis() + " ms");
  }

  /**
   * Sends and returns the body of a 2xx answer, all within {@code timeout}.
   *
   * @throws ApiException for any other status, with the server's error code
   */
  private byte[] send(HttpRequest request, int maxBody, Duration timeout) throws IOException {
    HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
    // The whole exchange, body included, must finish within the deadline; the future's bound also covers what
    // the request timeout does not (resolving the host name, a body that trickles).
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(timed,
        HttpResponse.BodyHandlers.limiting(HttpResponse.BodyHandlers.ofByteArray(), maxBody));
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw timedOut(timeout);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while calling " + request.uri().getPath());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(timeout); // the request's own timeout, a hair before the future's
      }
      if (cause instanceof IOException io && io.getMessage() != null) {
        throw io;
      }
      // A refused connection has no message of its own; its type says what happened.
      String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      throw cause instanceof javax.net.ssl.SSLException ? new javax.net.ssl.SSLException(what, cause)
          : new IOException(what + " (" + base.getHost() + ":" + base.getPort() + ")", cause);
    }
    byte[] body = response.body();
    if (response.statusCode() / 100 != 2) {
      ErrorBody error = null;
      try {
        error = Json.MAPPER.readValue(body, ErrorBody.class);
      } catch (IOException | RuntimeException e) {
        // Not our error format (a proxy in front of Portcullis, say): the status says enough.
      }
      throw new ApiException(response.statusCode(), error == null ? null : error.error(),
          error == null ? null : error.message());
    }
    return body;
  }
}
