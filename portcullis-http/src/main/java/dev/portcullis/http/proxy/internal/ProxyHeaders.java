package dev.portcullis.http.proxy.internal;

import dev.portcullis.http.server.internal.CheckedHeader;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header hygiene between client and upstream: one named constant per concern, and the functions that apply
 * them. Names are compared case-insensitively throughout.
 */
public final class ProxyHeaders {

  /**
   * Hop-by-hop fields, meaningful only for a single connection, which a proxy must not forward (RFC 9110
   * section 7.6.1: Connection, Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade). Also removed:
   * Trailer (we never forward request trailers), HTTP2-Settings (an h2c upgrade, RFC 7540 section 3.2.1) and
   * the proxy credentials Proxy-Authorization / Proxy-Authenticate (RFC 9110 sections 11.7.1-11.7.2), which are
   * meant for this hop. Any field named in {@code Connection} is removed too.
   */
  public static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade",
      "trailer", "http2-settings", "proxy-authorization", "proxy-authenticate");

  /**
   * Prefix of the headers through which Portcullis vouches for identity upstream. A client copy is removed
   * whatever its case and whether it spells {@code -} as {@code _} (some servers map both to the same name).
   */
  public static final String INTERNAL_HEADER_PREFIX = "x-portcullis-";

  /**
   * Forwarding fields (RFC 7239 {@code Forwarded} and the de facto {@code X-Forwarded-*} family). From an
   * untrusted peer they are dropped and rewritten; from a trusted proxy X-Forwarded-For is extended and
   * X-Forwarded-Proto / X-Forwarded-Host are kept.
   */
  public static final Set<String> FORWARDING_HEADERS = Set.of(
      "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip");

  /**
   * Fields the proxy rewrites itself, so the client's copy is never passed through: Host (set from the
   * origin or preserved), Cookie (filtered), Expect (answered by the proxy, RFC 9110 section 10.1.1) and
   * Netty's internal HTTP/2 conversion fields, which no client may inject.
   */
  public static final Set<String> REWRITTEN_HEADERS = Set.of(
      "host", "cookie", "expect", "x-http2-stream-id", "x-http2-scheme", "x-http2-path",
      "x-http2-stream-promise-id", "x-http2-stream-dependency-id", "x-http2-stream-weight");

  /** What {@link #dropFromClient} does with a request field, by name. */
  private enum ClientField { DROP, FORWARDING, TRUSTED_FORWARDING }

  private static final CaseInsensitiveNames<ClientField> CLIENT_FIELDS = clientFields();

  /** {@link #HOP_BY_HOP} as Netty names, whose hashes are computed once. */
  private static final AsciiString[] HOP_BY_HOP_NAMES =
      HOP_BY_HOP.stream().map(AsciiString::cached).toArray(AsciiString[]::new);

  private static final Set<String> KEEP_ALIVE_OPTION = Set.of("keep-alive");
  private static final Set<String> CLOSE_OPTION = Set.of("close");

  private ProxyHeaders() {}

  private static CaseInsensitiveNames<ClientField> clientFields() {
    Map<String, ClientField> fields = new HashMap<>();
    HOP_BY_HOP.forEach(name -> fields.put(name, ClientField.DROP));
    REWRITTEN_HEADERS.forEach(name -> fields.put(name, ClientField.DROP));
    FORWARDING_HEADERS.forEach(name -> fields.put(name, ClientField.FORWARDING));
    // A trusted proxy's X-Forwarded-Proto/Host are kept; X-Forwarded-For is rebuilt either way.
    fields.put("x-forwarded-proto", ClientField.TRUSTED_FORWARDING);
    fields.put("x-forwarded-host", ClientField.TRUSTED_FORWARDING);
    return new CaseInsensitiveNames<>(fields);
  }

  /** True when {@code name} is, or spells with underscores, an {@link #INTERNAL_HEADER_PREFIX} header. */
  public static boolean isInternal(CharSequence name) {
    int length = INTERNAL_HEADER_PREFIX.length();
    if (name.length() < length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = Character.toLowerCase(name.charAt(i));
      if (c == '_') {
        c = '-';
      }
      if (c != INTERNAL_HEADER_PREFIX.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The lower-case field names listed in every {@code Connection} header of {@code headers}. */
  public static Set<String> connectionOptions(HttpHeaders headers) {
    String only = headers.get(HttpHeaderNames.CONNECTION);
    if (only == null) {
      return Set.of();
    }
    // The usual single "keep-alive" or "close" needs no parsing (a second Connection field still does).
    if (!isRepeated(headers, HttpHeaderNames.CONNECTION)) {
      if (only.equalsIgnoreCase("keep-alive")) {
        return KEEP_ALIVE_OPTION;
      }
      if (only.equalsIgnoreCase("close")) {
        return CLOSE_OPTION;
      }
    }
    Set<String> options = null;
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String option = token.trim().toLowerCase(Locale.ROOT);
        if (!option.isEmpty()) {
          if (options == null) {
            options = new HashSet<>();
          }
          options.add(option);
        }
      }
    }
    return options == null ? Set.of() : options;
  }

  private static boolean isRepeated(HttpHeaders headers, CharSequence name) {
    Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(name);
    values.next();
    return values.hasNext();
  }

  /** Removes hop-by-hop fields and those named in {@code Connection}; used on upstream responses. */
  public static void stripHopByHop(HttpHeaders headers) {
    Set<String> named = connectionOptions(headers);
    for (AsciiString name : HOP_BY_HOP_NAMES) {
      headers.remove(name);
    }
    for (String name : named) {
      headers.remove(name);
    }
  }

  /** True if the request header {@code name} must not be copied verbatim to the upstream request. */
  public static boolean dropFromClient(CharSequence name, Set<String> connectionOptions, boolean trustedPeer) {
    ClientField field = CLIENT_FIELDS.get(name);
    if (field != null) {
      return field != ClientField.TRUSTED_FORWARDING || !trustedPeer;
    }
    if (!connectionOptions.isEmpty() && connectionOptions.contains(lowerCase(name))) {
      return true;
    }
    return isInternal(name);
  }

  /**
   * The {@code Cookie} value with the cookies named in {@code stripped} removed and the rest kept as sent, or
   * {@code null} when none remain. Several {@code Cookie} fields (HTTP/2 sends crumbs) are merged with "; ".
   */
  public static String filterCookies(Iterable<String> cookieHeaders, Set<String> stripped) {
    StringBuilder kept = null;
    for (String header : cookieHeaders) {
      int length = header.length();
      int start = 0;
      while (start < length) {
        int end = header.indexOf(';', start);
        if (end < 0) {
          end = length;
        }
        // The pair without surrounding whitespace, and its name up to '=' (also trimmed), as String.trim does.
        int from = skipSpace(header, start, end);
        int to = trimEnd(header, from, end);
        if (from < to) {
          int eq = header.indexOf('=', from);
          int nameEnd = trimEnd(header, from, eq < 0 || eq > to ? to : eq);
          if (!isStripped(header, from, nameEnd, stripped)) {
            if (kept == null) {
              kept = new StringBuilder(to - from);
            } else {
              kept.append("; ");
            }
            kept.append(header, from, to);
          }
        }
        start = end + 1;
      }
    }
    return kept == null ? null : kept.toString();
  }

  private static boolean isStripped(String header, int from, int to, Set<String> stripped) {
    int length = to - from;
    for (String name : stripped) {
      if (name.length() == length && header.regionMatches(from, name, 0, length)) {
        return true;
      }
    }
    return false;
  }

  private static int skipSpace(String text, int from, int to) {
    while (from < to && text.charAt(from) <= ' ') {
      from++;
    }
    return from;
  }

  private static int trimEnd(String text, int from, int to) {
    while (to > from && text.charAt(to - 1) <= ' ') {
      to--;
    }
    return to;
  }

  /** Sets each gate header, replacing any existing field of the same name. */
  public static void applyGateHeaders(HttpHeaders headers, Iterable<Map.Entry<String, String>> gateHeaders) {
    for (Map.Entry<String, String> header : gateHeaders) {
      headers.remove(header instanceof CheckedHeader checked ? checked.asciiName() : header.getKey());
    }
    for (Map.Entry<String, String> header : gateHeaders) {
      if (header instanceof CheckedHeader checked) {
        headers.add(checked.asciiName(), checked.asciiValue());
      } else {
        headers.add(header.getKey(), header.getValue());
      }
    }
  }

  static String lowerCase(CharSequence name) {
    if (name instanceof AsciiString ascii) {
      return ascii.toLowerCase().toString();
    }
    return name.toString().toLowerCase(Locale.ROOT);
  }
}
