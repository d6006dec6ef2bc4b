package dev.portcullis.policy.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The readings of a request path that an upstream might act on: the path as received and its
 * normalized form (percent-decoded, backslashes as slashes, {@code ;params} dropped, dot segments
 * resolved, repeated slashes collapsed). Path criteria test both, so {@code /public/..%2Fadmin} can
 * neither slip past a deny rule on {@code /admin} nor count as under a public path {@code /public}.
 *
 * @param raw the path without query or fragment
 * @param normalized the normalized reading; equal to {@code raw} for ordinary paths
 */
public record RequestPath(String raw, String normalized) {

  public static RequestPath of(String path) {
    // One pass finds the end of the path and whether anything in it calls for normalizing: a percent
    // escape, a backslash, a ;param, a repeated slash or a dot segment.
    int length = path.length();
    int end = length;
    boolean ambiguous = false;
    char previous = 0;
    for (int i = 0; i < length; i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
      if (c == '%' || c == '\\' || c == ';' || previous == '/' && (c == '/' || c == '.')) {
        ambiguous = true;
      }
      previous = c;
    }
    String raw = end == length ? path : path.substring(0, end);
    return new RequestPath(raw, ambiguous || raw.isEmpty() ? normalize(raw) : raw);
  }

  /** The distinct readings: one for an ordinary path, two for an ambiguous one. */
  public List<String> readings() {
    return raw.equals(normalized) ? List.of(raw) : List.of(raw, normalized);
  }

  static String normalize(String raw) {
    String decoded = percentDecode(raw).replace('\\', '/');
    Deque<String> segments = new ArrayDeque<>();
    String[] parts = decoded.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String segment = parts[i];
      int semicolon = segment.indexOf(';');
      if (semicolon >= 0) {
        segment = segment.substring(0, semicolon);
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    String joined = "/" + String.join("/", segments);
    boolean trailing = decoded.endsWith("/") || decoded.endsWith("/.") || decoded.endsWith("/..");
    return trailing && !joined.equals("/") ? joined + "/" : joined;
  }

  private static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
      if (bytes[i] == '%' && hi >= 0 && lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
