package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One client request as the gate sees it, before any body is read. The path is normalized and is exactly the
 * path that will be sent upstream; {@link #clientAddress} is the TCP peer unless that peer is a trusted proxy,
 * in which case it is the nearest untrusted address from {@code X-Forwarded-For}.
 *
 * @param method the request method as sent (case-sensitive)
 * @param scheme {@code https} on a TLS listener, else {@code http}
 * @param host the requested host, lower-case, without port or IPv6 brackets
 * @param port the port from the {@code Host} header, or the scheme's default
 * @param path the normalized path (see the server's path rules), always starting with {@code /}
 * @param rawQuery the query exactly as received without the {@code ?}, or empty
 * @param headers the request headers, names lower-case
 * @param remoteAddress the TCP peer
 * @param clientAddress the client as far as trusted proxies vouch for it
 * @param protocol {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}
 * @param websocketUpgrade an HTTP/1.1 {@code GET} asking to upgrade to a WebSocket
 */
public record ClientRequest(
    String method,
    String scheme,
    String host,
    int port,
    String path,
    String rawQuery,
    RequestHeaders headers,
    InetSocketAddress remoteAddress,
    InetAddress clientAddress,
    String protocol,
    boolean websocketUpgrade) {

  public ClientRequest {
    requireNonNull(method, "method");
    requireNonNull(scheme, "scheme");
    requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: '" + path + "' (expected: starts with /)");
    }
    requireNonNull(rawQuery, "rawQuery");
    requireNonNull(headers, "headers");
    requireNonNull(remoteAddress, "remoteAddress");
    requireNonNull(clientAddress, "clientAddress");
    requireNonNull(protocol, "protocol");
  }

  /** The first value of header {@code name} (any case). */
  public Optional<String> header(String name) {
    return headers.first(name);
  }

  /**
   * The request cookies by name. When a name repeats, the first occurrence wins, as in most servers; values are
   * returned as sent (no decoding).
   */
  public Map<String, String> cookies() {
    Map<String, String> cookies = new LinkedHashMap<>();
    for (String header : headers.all("cookie")) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          cookies.putIfAbsent(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
    }
    return Map.copyOf(cookies);
  }

  /** The value of cookie {@code name}, first occurrence. */
  public Optional<String> cookie(String name) {
    return Optional.ofNullable(cookies().get(name));
  }

  /** The path plus {@code ?query} when there is one, as sent upstream. */
  public String pathAndQuery() {
    return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
  }

  @Override
  public String toString() {
    // The query may carry codes or tokens and is left out; header secrets are redacted by RequestHeaders.
    return "ClientRequest[" + method + " " + scheme + "://" + host + ":" + port + path + " " + protocol
        + " from " + clientAddress.getHostAddress() + ", headers=" + headers + "]";
  }
}
