package dev.portcullis.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The user side of the Portcullis HTTP API ({@code /.portcullis/api/v1/}): sign-in, certificates, the CA keys
 * and logout. Every failure becomes a {@link CliFailure} that names the URL; server errors carry the server's
 * message ({@link ServerError}). Redirects are never followed, so a token cannot be sent anywhere else.
 */
public final class ApiClient implements AutoCloseable {

  static final String API = "/.portcullis/api/v1/";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** A new API session, from {@code login/local} or {@code cli/token}. */
  public record Login(String token, String user, String provider, List<String> roles, Instant expiresAt) {
    public Login {
      roles = List.copyOf(roles);
    }

    @Override
    public String toString() {
      return "Login[user=" + user + ", provider=" + provider + ", roles=" + roles + ", expiresAt=" + expiresAt + "]";
    }
  }

  /** A user certificate as {@code ssh/certificates} returns it. */
  public record Certificate(String line, List<String> principals, Instant validAfter, Instant validBefore,
      String keyId, String serial) {
    public Certificate {
      principals = List.copyOf(principals);
    }
  }

  /** The public CA keys from {@code ca}. */
  public record CaKeys(List<String> sshUserCa, List<String> hostCaKnownHosts) {
    public CaKeys {
      sshUserCa = List.copyOf(sshUserCa);
      hostCaKnownHosts = List.copyOf(hostCaKnownHosts);
    }
  }

  private final URI proxy;
  private final HttpClient http;

  public ApiClient(URI proxy, SSLContext tls) {
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.http = HttpClient.newBuilder()
        .sslContext(Objects.requireNonNull(tls, "tls"))
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public URI proxy() {
    return proxy;
  }

  /** Where the browser sign-in for the CLI starts (SSH-API section 2). */
  public URI authorizeUri(int port, String state, String challenge) {
    return proxy.resolve("/.portcullis/cli/authorize?port=" + port + "&state=" + encode(state)
        + "&challenge=" + encode(challenge));
  }

  /** {@code POST login/local}; {@code provider} and {@code totp} may be null. */
  public Login loginLocal(String provider, String username, String password, String totp) {
    ObjectNode body = Json.object();
    if (provider != null) {
      body.put("provider", provider);
    }
    body.put("username", username);
    body.put("password", password);
    if (totp != null) {
      body.put("totp", totp);
    }
    return login(send("POST", "login/local", null, body), "login/local");
  }

  /** {@code POST cli/token}: the browser sign-in's one-time code and its PKCE verifier, for a session. */
  public Login exchangeCode(String code, String verifier) {
    ObjectNode body = Json.object();
    body.put("code", code);
    body.put("verifier", verifier);
    return login(send("POST", "cli/token", null, body), "cli/token");
  }

  /** {@code POST ssh/certificates} for {@code publicKeyLine}. */
  public Certificate requestCertificate(String token, String publicKeyLine) {
    ObjectNode body = Json.object();
    body.put("public_key", publicKeyLine);
    return parse("ssh/certificates", send("POST", "ssh/certificates", token, body), (node, source) ->
        new Certificate(Json.text(node, "certificate", source), Json.strings(node, "principals", source),
            Json.instant(node, "valid_after", source), Json.instant(node, "valid_before", source),
            Json.text(node, "key_id", source), Json.text(node, "serial", source)));
  }

  /** {@code GET ca}: public keys only, no credential. */
  public CaKeys ca() {
    return parse("ca", send("GET", "ca", null, null), (node, source) ->
        new CaKeys(Json.strings(node, "ssh_user_ca", source), Json.strings(node, "ssh_host_ca_known_hosts", source)));
  }

  /** The nodes a user may log in to, and the bastion that reaches them ({@code ssh-config}). */
  public record SshNodes(java.util.Optional<String> bastion, List<String> names) {
    public SshNodes {
      names = List.copyOf(names);
    }
  }

  /** {@code GET ssh/nodes}: the caller's nodes (those where they have a login now) and the bastion, if any. */
  public SshNodes sshNodes(String token) {
    return parse("ssh/nodes", send("GET", "ssh/nodes", token, null), (node, source) -> {
      List<String> names = new java.util.ArrayList<>();
      com.fasterxml.jackson.databind.JsonNode list = node.get("nodes");
      if (list == null || !list.isArray()) {
        throw new IllegalArgumentException(source + ": field \"nodes\" is missing or not an array");
      }
      for (com.fasterxml.jackson.databind.JsonNode entry : list) {
        names.add(Json.text(entry, "name", source));
      }
      String bastion = Json.optionalText(node, "bastion");
      return new SshNodes(bastion.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(bastion), names);
    });
  }

  /** {@code POST logout}: ends the session behind {@code token}. */
  public void logout(String token) {
    send("POST", "logout", token, null);
  }

  @Override
  public void close() {
    http.close();
  }

  private Login login(String body, String endpoint) {
    return parse(endpoint, body, (node, source) -> new Login(Json.text(node, "token", source),
        Json.text(node, "user", source), Json.text(node, "provider", source), Json.strings(node, "roles", source),
        Json.instant(node, "expires_at", source)));
  }

  private interface Reader<T> {
    T read(JsonNode node, String source);
  }

  private <T> T parse(String endpoint, String body, Reader<T> reader) {
    String source = "the answer of " + url(endpoint);
    try {
      return reader.read(Json.parseObject(body, source), source);
    } catch (IllegalArgumentException e) {
      throw CliFailure.failure("unexpected " + e.getMessage());
    }
  }

  /** Sends one request and returns the body of a 2xx answer; anything else becomes a {@link CliFailure}. */
  private String send(String method, String endpoint, String token, ObjectNode body) {
    URI url = url(endpoint);
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json")
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw networkFailure(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.failure("interrupted while waiting for " + url);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return response.body();
    }
    String code = "";
    String message = "";
    try {
      JsonNode error = Json.parseObject(response.body(), url.toString());
      code = Json.optionalText(error, "error");
      message = Json.optionalText(error, "message");
    } catch (IllegalArgumentException notJson) {
      // Not the API's error format (a load balancer, a wrong URL): the status and the URL must do.
    }
    throw new ServerError(method + " " + url, status, code, message);
  }

  private URI url(String endpoint) {
    return proxy.resolve(API + endpoint);
  }

  static CliFailure networkFailure(URI url, IOException e) {
    if (e instanceof SSLException) {
      if (causedBy(e, CertificateException.class)) {
        return CliFailure.failure("cannot verify the TLS certificate of " + url + " (" + rootMessage(e)
            + "). Make the JDK trust the server's certificate authority; only for a demo with a self-signed"
            + " certificate, pass --insecure to portcullis login", e);
      }
      return CliFailure.failure("TLS failed with " + url + ": " + rootMessage(e), e);
    }
    if (e instanceof HttpConnectTimeoutException) {
      return CliFailure.failure("cannot connect to " + url + ": timed out after " + CONNECT_TIMEOUT.toSeconds() + " s", e);
    }
    if (e instanceof HttpTimeoutException) {
      return CliFailure.failure("no answer from " + url + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    }
    if (causedBy(e, UnresolvedAddressException.class)) {
      return CliFailure.failure("cannot connect to " + url + ": unknown host " + url.getHost(), e);
    }
    if (e instanceof ConnectException) {
      String reason = rootMessage(e);
      return CliFailure.failure("cannot connect to " + url + " (" + (reason.endsWith("Exception")
          ? "connection refused or network unreachable" : reason) + ")", e);
    }
    return CliFailure.failure("cannot reach " + url + ": " + rootMessage(e), e);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The deepest message in the chain (the JDK's HTTP client often leaves them all empty), else the root's type. */
  private static String rootMessage(Throwable e) {
    String message = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message != null ? message : root.getClass().getSimpleName();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
