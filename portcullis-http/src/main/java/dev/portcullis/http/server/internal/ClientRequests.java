package dev.portcullis.http.server.internal;

import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.RequestHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the gate's {@link ClientRequest} view of a validated Netty request head. */
public final class ClientRequests {

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

  private ClientRequests() {}

  /** Parses {@code Host}, copies headers lower-cased, and works out the client address. */
  public static ClientRequest build(HttpRequest head, PathNormalizer.Target target, ServerContext context,
      InetSocketAddress remote, boolean trustedPeer, String protocol) {
    String hostHeader = head.headers().get(HttpHeaderNames.HOST);
    int defaultPort = context.scheme().equals("https") ? 443 : 80;
    String host;
    int port;
    if (hostHeader.startsWith("[")) {
      int close = hostHeader.indexOf(']');
      if (close < 0) {
        throw RequestRejectedException.badRequest("invalid Host");
      }
      host = hostHeader.substring(1, close).toLowerCase(Locale.ROOT);
      checkIpv6(host);
      port = parsePort(hostHeader.substring(close + 1), defaultPort);
    } else {
      int colon = hostHeader.indexOf(':');
      host = (colon < 0 ? hostHeader : hostHeader.substring(0, colon)).toLowerCase(Locale.ROOT);
      port = parsePort(colon < 0 ? "" : hostHeader.substring(colon), defaultPort);
      checkRegName(host);
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1); // "example.com." names the same host as "example.com"
      }
    }
    HttpHeaders headers = head.headers();
    String[] names = new String[headers.size()];
    String[] values = new String[names.length];
    int i = 0;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); i++) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      names[i] = header.getKey().toString().toLowerCase(Locale.ROOT);
      values[i] = header.getValue().toString();
    }
    InetAddress client = trustedPeer ? forwardedClient(headers.getAll(X_FORWARDED_FOR), remote.getAddress(), context)
        : remote.getAddress();
    return new ClientRequest(head.method().name(), context.scheme(), host, port, target.path(), target.rawQuery(),
        RequestHeaders.trusted(names, values), remote, client, protocol,
        protocol.startsWith("HTTP/1") && isWebSocketUpgrade(head));
  }

  /** RFC 6455 section 4.1: a GET with {@code Upgrade: websocket} and {@code Connection: upgrade}. */
  static boolean isWebSocketUpgrade(HttpRequest head) {
    if (!head.method().name().equals("GET")) {
      return false;
    }
    HttpHeaders headers = head.headers();
    return headers.contains(HttpHeaderNames.UPGRADE) && hasToken(headers.getAll(HttpHeaderNames.UPGRADE), "websocket")
        && hasToken(headers.getAll(HttpHeaderNames.CONNECTION), "upgrade");
  }

  private static boolean hasToken(List<String> values, String token) {
    for (String value : values) {
      for (String part : value.split(",")) {
        if (part.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The nearest address, walking X-Forwarded-For right to left, that is not itself a trusted proxy. */
  static InetAddress forwardedClient(List<String> forwardedFor, InetAddress peer, ServerContext context) {
    InetAddress nearest = peer;
    for (int h = forwardedFor.size() - 1; h >= 0; h--) {
      String[] hops = forwardedFor.get(h).split(",");
      for (int k = hops.length - 1; k >= 0; k--) {
        InetAddress hop = parseIpLiteral(hops[k].trim());
        if (hop == null) {
          return nearest; // unparseable: stop believing the chain here
        }
        nearest = hop;
        if (!context.isTrustedProxy(hop)) {
          return hop;
        }
      }
    }
    return nearest;
  }

  private static InetAddress parseIpLiteral(String text) {
    if (text.isEmpty() || text.length() > 45
        || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return null;
    }
    try {
      return InetAddress.getByName(text); // a literal: no lookup happens
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  private static int parsePort(String suffix, int defaultPort) {
    if (suffix.isEmpty()) {
      return defaultPort;
    }
    if (suffix.charAt(0) != ':' || suffix.length() < 2 || suffix.length() > 6) {
      throw RequestRejectedException.badRequest("invalid Host port");
    }
    int port = 0;
    for (int i = 1; i < suffix.length(); i++) {
      char c = suffix.charAt(i);
      if (c < '0' || c > '9') {
        throw RequestRejectedException.badRequest("invalid Host port");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) {
      throw RequestRejectedException.badRequest("invalid Host port");
    }
    return port;
  }

  private static void checkRegName(String host) {
    if (host.isEmpty() || host.length() > 253) {
      throw RequestRejectedException.badRequest("invalid Host");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
        throw RequestRejectedException.badRequest("invalid Host");
      }
    }
  }

  private static void checkIpv6(String host) {
    if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      throw RequestRejectedException.badRequest("invalid Host");
    }
  }
}
