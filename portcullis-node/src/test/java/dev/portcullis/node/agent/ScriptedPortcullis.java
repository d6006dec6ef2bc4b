package dev.portcullis.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.portcullis.ssh.ca.HostCertificateRequest;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The server side of the node endpoints (SSH-API.md 7 to 9), scripted by the test: single-use join tokens,
 * node credentials, real host certificates from a host CA, the user CA's keys, and principals decided from
 * grants and locks the test sets, read fresh on every request. It can also hang or answer errors on demand.
 */
final class ScriptedPortcullis implements AutoCloseable {

  static final String API = "/.portcullis/api/v1/";
  static final Duration HOST_CERTIFICATE_TTL = Duration.ofDays(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");

  /** A principals query as sshd's command made it. */
  record PrincipalsQuery(String login, String keyId, String authorization) {}

  /** A node the server enrolled. */
  record Node(String name, Map<String, String> labels, String address, String hostKey) {}

  /** What every endpoint does besides its normal job. */
  enum Mode { NORMAL, HANG, FAIL }

  private final SshCertificateAuthority userCa;
  private final SshCertificateAuthority hostCa;
  private final SSLContext tls;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, Node> nodesByCredential = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();
  private final Set<String> locked = ConcurrentHashMap.newKeySet();
  private final List<PrincipalsQuery> principalsQueries = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> heartbeats = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile List<Map<String, Object>> accounts = List.of();
  private volatile boolean renewHostCertificate;
  private volatile String principalsOverride;
  private volatile String heartbeatOverride;
  private volatile String joinCertificateKeyOverride;
  private volatile Mode mode = Mode.NORMAL;
  private volatile HttpServer server;
  private int port;

  private ScriptedPortcullis(SshCertificateAuthority userCa, SshCertificateAuthority hostCa, SSLContext tls) {
    this.userCa = userCa;
    this.hostCa = hostCa;
    this.tls = tls;
  }

  /** Plain http on 127.0.0.1, which the agent accepts for loopback only. */
  static ScriptedPortcullis start(SshCertificateAuthority userCa, SshCertificateAuthority hostCa) throws IOException {
    ScriptedPortcullis scripted = new ScriptedPortcullis(userCa, hostCa, null);
    scripted.listen(0);
    return scripted;
  }

  /** https on 127.0.0.1 with the given server certificate. */
  static ScriptedPortcullis startTls(SshCertificateAuthority userCa, SshCertificateAuthority hostCa, SSLContext tls)
      throws IOException {
    ScriptedPortcullis scripted = new ScriptedPortcullis(userCa, hostCa, tls);
    scripted.listen(0);
    return scripted;
  }

  URI url() {
    return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port);
  }

  /** A fresh one-time join token. */
  String issueToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.add(token);
    return token;
  }

  boolean tokenUnused(String token) {
    return tokens.contains(token);
  }

  /** Registers a node directly, as a join would have, and returns its credential. */
  String enroll(Node node) {
    String credential = newCredential();
    nodesByCredential.put(credential, node);
    return credential;
  }

  List<Node> nodes() {
    return List.copyOf(nodesByCredential.values());
  }

  /** Lets the certificate of {@code user} ({@code username@provider}) use {@code logins} on the node. */
  void grant(String user, String... logins) {
    grants.put(user, Set.of(logins));
  }

  void lock(String user) {
    locked.add(user);
  }

  void unlock(String user) {
    locked.remove(user);
  }

  /** The heartbeat's account list: login to sudo. */
  void accounts(Map<String, Boolean> loginsToSudo) {
    List<Map<String, Object>> list = new ArrayList<>();
    loginsToSudo.forEach((login, sudo) -> list.add(Map.of("login", login, "sudo", sudo)));
    accounts = List.copyOf(list);
  }

  /** Whether heartbeats return a renewed host certificate. */
  void renewHostCertificate(boolean renew) {
    renewHostCertificate = renew;
  }

  /** Answers every principals query with exactly this body (null: decide normally). */
  void principalsBody(String body) {
    principalsOverride = body;
  }

  /** Answers every heartbeat with exactly this JSON (null: answer normally). */
  void heartbeatBody(String json) {
    heartbeatOverride = json;
  }

  /** Forgets every enrolled node, as when an admin removes them: their credentials stop working. */
  void forgetNodes() {
    nodesByCredential.clear();
  }

  /** Makes join certify this public key instead of the one the node sent (null: the node's). */
  void certifyAnotherKeyAtJoin(String hostKeyLine) {
    joinCertificateKeyOverride = hostKeyLine;
  }

  void mode(Mode newMode) {
    mode = newMode;
  }

  List<PrincipalsQuery> principalsQueries() {
    return List.copyOf(principalsQueries);
  }

  List<Map<String, String>> heartbeats() {
    return List.copyOf(heartbeats);
  }

  /** Stops listening: connections are refused until {@link #restart()}. */
  void stop() {
    server.stop(0);
  }

  /** Listens again on the same port. */
  void restart() throws IOException {
    listen(port);
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }

  private void listen(int onPort) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort);
    HttpServer created;
    if (tls == null) {
      created = HttpServer.create(address, 50);
    } else {
      HttpsServer https = HttpsServer.create(address, 50);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      created = https;
    }
    created.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    created.createContext(API + "nodes/join", exchange -> handle(exchange, "POST", this::join));
    created.createContext(API + "nodes/heartbeat", exchange -> handle(exchange, "POST", this::heartbeat));
    created.createContext(API + "nodes/principals", exchange -> handle(exchange, "GET", this::principals));
    created.start();
    port = created.getAddress().getPort();
    server = created;
  }

  private interface Endpoint {
    void serve(HttpExchange exchange) throws IOException;
  }

  private void handle(HttpExchange exchange, String method, Endpoint endpoint) throws IOException {
    try (exchange) {
      if (mode == Mode.HANG) {
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      if (mode == Mode.FAIL) {
        error(exchange, 500, "internal", "scripted failure");
        return;
      }
      if (!exchange.getRequestMethod().equals(method)) {
        error(exchange, 405, "method-not-allowed", "use " + method);
        return;
      }
      endpoint.serve(exchange);
    }
  }

  private void join(HttpExchange exchange) throws IOException {
    JsonNode body = readJson(exchange);
    if (body == null) {
      error(exchange, 400, "bad-request", "body: not JSON");
      return;
    }
    String token = body.path("token").asText("");
    String name = body.path("name").asText("");
    String address = body.path("address").asText("");
    String hostKey = body.path("host_public_key").asText("");
    if (!NAME.matcher(name).matches() || !address.matches(".+:[0-9]{1,5}") || !hostKey.startsWith("ssh-ed25519 ")
        || !body.path("labels").isObject()) {
      error(exchange, 400, "bad-request", "name, address, labels or host_public_key is malformed");
      return;
    }
    if (!tokens.remove(token)) {
      error(exchange, 401, "invalid-token", "the join token is unknown, used or expired");
      return;
    }
    String host = address.substring(0, address.lastIndexOf(':')).replace("[", "").replace("]", "");
    String certified = joinCertificateKeyOverride != null ? joinCertificateKeyOverride : hostKey;
    IssuedCertificate certificate = hostCa.issueHost(HostCertificateRequest.of(certified, "node " + name,
        List.of(name, host), HOST_CERTIFICATE_TTL));
    String credential = newCredential();
    nodesByCredential.put(credential, new Node(name, labels(body.path("labels")), address, hostKey));
    ObjectNode answer = JSON.createObjectNode()
        .put("credential", credential)
        .put("host_certificate", certificate.line())
        .put("host_certificate_valid_before", certificate.validBefore().toString());
    ArrayNode ca = answer.putArray("ssh_user_ca");
    userCa.trustedPublicKeys().forEach(ca::add);
    json(exchange, 200, answer);
  }

  private void heartbeat(HttpExchange exchange) throws IOException {
    Node node = authenticate(exchange);
    if (node == null) {
      return;
    }
    JsonNode body = readJson(exchange);
    Map<String, String> labels = body == null ? Map.of() : labels(body.path("labels"));
    heartbeats.add(labels);
    if (heartbeatOverride != null) {
      byte[] bytes = heartbeatOverride.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      return;
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("accounts", JSON.valueToTree(accounts));
    ArrayNode ca = answer.putArray("ssh_user_ca");
    userCa.trustedPublicKeys().forEach(ca::add);
    if (renewHostCertificate) {
      String host = node.address().substring(0, node.address().lastIndexOf(':'));
      answer.put("host_certificate", hostCa.issueHost(HostCertificateRequest.of(node.hostKey(), "node " + node.name(),
          List.of(node.name(), host), HOST_CERTIFICATE_TTL)).line());
    } else {
      answer.putNull("host_certificate");
    }
    json(exchange, 200, answer);
  }

  private void principals(HttpExchange exchange) throws IOException {
    Node node = authenticate(exchange);
    if (node == null) {
      return;
    }
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String login = query.get("login");
    String keyId = query.get("key_id");
    principalsQueries.add(new PrincipalsQuery(login, keyId, exchange.getRequestHeaders().getFirst("Authorization")));
    if (login == null || keyId == null) {
      error(exchange, 400, "bad-request", "login and key_id are required");
      return;
    }
    String body;
    if (principalsOverride != null) {
      body = principalsOverride;
    } else {
      // Fail closed as the real server does: unknown, locked or not granted -> an empty body.
      boolean allowed = !locked.contains(keyId) && grants.getOrDefault(keyId, Set.of()).contains(login);
      body = allowed ? login + "\n" : "";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private Node authenticate(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Node node = authorization != null && authorization.startsWith("Bearer ")
        ? nodesByCredential.get(authorization.substring("Bearer ".length())) : null;
    if (node == null) {
      error(exchange, 401, "invalid-credential", "no or unknown node credential");
    }
    return node;
  }

  private static String newCredential() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new TreeMap<>();
    node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private static JsonNode readJson(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      return JSON.readTree(in);
    } catch (IOException e) {
      return null;
    }
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void error(HttpExchange exchange, int status, String code, String message) {
    try {
      json(exchange, status, Map.of("error", code, "message", message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
