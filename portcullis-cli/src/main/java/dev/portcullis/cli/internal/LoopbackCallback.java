package dev.portcullis.cli.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The browser sign-in's redirect target: an HTTP server on {@code 127.0.0.1} and a free port that takes exactly
 * one {@code GET /callback?code=...&state=...}. A callback whose state differs (compared in constant time)
 * ends the sign-in: it was not started by this command.
 */
public final class LoopbackCallback implements AutoCloseable {

  private static final int MAX_CODE = 4096;

  private final HttpServer server;
  private final byte[] expectedState;
  private final CompletableFuture<String> code = new CompletableFuture<>();

  private LoopbackCallback(HttpServer server, String expectedState) {
    this.server = server;
    this.expectedState = expectedState.getBytes(StandardCharsets.UTF_8);
  }

  /** Listens on 127.0.0.1 (never a public address) and a port the system picks. */
  public static LoopbackCallback start(String expectedState) throws IOException {
    InetAddress loopback = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    HttpServer server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    LoopbackCallback callback = new LoopbackCallback(server, expectedState);
    server.createContext("/", callback::handle);
    server.start();
    return callback;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Waits for the browser.
   *
   * @return the one-time code
   * @throws CliFailure on a wrong state, a callback without a code, or the timeout
   */
  public String await(Duration timeout) {
    try {
      return code.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw CliFailure.failure("no sign-in came back from the browser within " + describe(timeout)
          + "; run portcullis login again");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof CliFailure failure ? failure : CliFailure.failure(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.failure("interrupted while waiting for the browser sign-in");
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getRawPath().equals("/callback")) {
        respond(exchange, 404, "Not found", "This is the Portcullis command line's sign-in listener.");
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, "Method not allowed", "Only GET is accepted here.");
        return;
      }
      if (code.isDone()) {
        respond(exchange, 409, "Already finished", "This sign-in has already finished; return to your terminal.");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String state = query.get("state");
      String value = query.get("code");
      if (state == null || !MessageDigest.isEqual(expectedState, state.getBytes(StandardCharsets.UTF_8))) {
        respond(exchange, 400, "Sign-in refused", "This sign-in was not started by your terminal. Nothing was signed in.");
        code.completeExceptionally(CliFailure.failure("the browser came back with a state this command did not send:"
            + " the sign-in was not started here or was tampered with, so it was refused; run portcullis login again"));
        return;
      }
      if (value == null || value.isEmpty() || value.length() > MAX_CODE) {
        respond(exchange, 400, "Sign-in failed", "The server sent no sign-in code. Return to your terminal.");
        code.completeExceptionally(CliFailure.failure("the browser came back without a sign-in code"));
        return;
      }
      respond(exchange, 200, "Signed in", "The Portcullis command line is signed in. You can close this tab.");
      // Complete only after the answer is out, so close() cannot cut the browser's page short.
      code.complete(value);
    }
  }

  /** Parses a query, refusing repeated names (which one would count is ambiguous). */
  private static Map<String, String> query(String rawQuery) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery == null) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      if (values.putIfAbsent(name, value) != null) {
        values.put(name, null);
      }
    }
    return values;
  }

  private static void respond(HttpExchange exchange, int status, String title, String text) throws IOException {
    byte[] body = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Portcullis: " + title
        + "</title></head><body><h1>" + title + "</h1><p>" + text + "</p></body></html>\n")
        .getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "text/html; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Content-Security-Policy", "default-src 'none'");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String describe(Duration timeout) {
    if (timeout.toSeconds() == 0) {
      return timeout.toMillis() + " ms";
    }
    return timeout.toSeconds() % 60 == 0 && timeout.toMinutes() > 0
        ? timeout.toMinutes() + " minute" + (timeout.toMinutes() == 1 ? "" : "s")
        : timeout.toSeconds() + " s";
  }
}
