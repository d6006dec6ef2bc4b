package dev.portcullis.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * The demo's built-in upstream app: it answers every request with the method, path and headers it
 * received, and the claims of the identity assertion, as HTML for people or JSON for scripts.
 */
public final class WhoamiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;

  private WhoamiServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port, with the given title shown on its page. */
  public static WhoamiServer start(String title) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> respond(exchange, title));
    server.start();
    return new WhoamiServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, String title) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      long bodyBytes = body.transferTo(java.io.OutputStream.nullOutputStream());
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("app", title);
      report.put("method", exchange.getRequestMethod());
      report.put("uri", exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
      report.put("bodyBytes", bodyBytes);
      report.put("headers", headers);
      List<String> assertion = headers.getOrDefault("x-portcullis-jwt-assertion", List.of());
      report.put("assertionClaims", assertion.isEmpty() ? Map.of() : claimsOf(assertion.getFirst()));
      boolean wantsJson = String.join(",", headers.getOrDefault("accept", List.of())).contains("application/json");
      byte[] out = wantsJson
          ? JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report)
          : html(title, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", wantsJson ? "application/json" : "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, out.length);
      exchange.getResponseBody().write(out);
    }
  }

  /** Decodes (without verifying: this is a display) the JWT payload so the page can show it. */
  private static Object claimsOf(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return Map.of("error", "not a JWT");
    }
    try {
      return JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
    } catch (IOException | IllegalArgumentException e) {
      return Map.of("error", "undecodable payload");
    }
  }

  private static String html(String title, String json) {
    String escaped = json.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return """
        <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
        <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
        </head><body><h1 id="app">%s</h1><p>This is what the upstream app received through Portcullis.</p>
        <pre id="report">%s</pre></body></html>
        """.formatted(title, title, escaped);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
