package dev.portcullis.http.server.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an origin-form request target into the one path that both the gate and the upstream see, so that no
 * encoding trick can make them disagree. Rules: percent-encoded unreserved characters (RFC 3986 section 2.3)
 * are decoded and other escapes upper-cased; {@code .} and {@code ..} segments are resolved (RFC 3986 section
 * 5.2.4) and one above the root is refused; repeated slashes are merged. Refused: encoded {@code /} or
 * {@code \}, a raw backslash, control bytes, space, non-ASCII, {@code #}, invalid escapes, and dot segments
 * carrying {@code ;} parameters (servers such as Tomcat treat {@code ..;} as {@code ..}). The query is returned
 * untouched.
 */
public final class PathNormalizer {

  /** The normalized path and the raw query (empty when there is none). */
  public record Target(String path, String rawQuery) {}

  private static final String HEX = "0123456789ABCDEF";

  private PathNormalizer() {}

  /** Normalizes {@code target} or throws {@link RequestRejectedException} with status 400. */
  public static Target normalize(String target) {
    if (target.isEmpty() || target.charAt(0) != '/') {
      throw RequestRejectedException.badRequest("request target must start with /");
    }
    int question = target.indexOf('?');
    String rawPath = question < 0 ? target : target.substring(0, question);
    String rawQuery = question < 0 ? "" : target.substring(question + 1);
    checkQuery(rawQuery);
    return new Target(normalizePath(rawPath), rawQuery);
  }

  static String normalizePath(String raw) {
    StringBuilder decoded = new StringBuilder(raw.length());
    boolean needsSegments = false;
    char previous = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int value = escapedByte(raw, i);
        i += 2;
        if (value == '/' || value == '\\') {
          throw RequestRejectedException.badRequest("encoded slash or backslash in path");
        }
        if (value < 0x20 || value == 0x7f) {
          throw RequestRejectedException.badRequest("encoded control character in path");
        }
        if (isUnreserved(value)) {
          c = (char) value;
          decoded.append(c);
        } else {
          decoded.append('%').append(HEX.charAt(value >> 4)).append(HEX.charAt(value & 0xf));
          previous = 0;
          continue;
        }
      } else {
        checkPathChar(c);
        decoded.append(c);
      }
      if ((c == '/' || c == '.') && previous == '/') {
        needsSegments = true;
      }
      previous = c;
    }
    return needsSegments ? resolveSegments(decoded.toString()) : decoded.toString();
  }

  private static String resolveSegments(String path) {
    List<String> segments = new ArrayList<>();
    boolean trailingSlash = false;
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end);
      boolean last = end == path.length();
      if (segment.isEmpty()) {
        trailingSlash = last;
      } else if (segment.equals(".")) {
        trailingSlash = last;
      } else if (segment.equals("..")) {
        if (segments.isEmpty()) {
          throw RequestRejectedException.badRequest("path climbs above the root");
        }
        segments.removeLast();
        trailingSlash = last;
      } else {
        int semicolon = segment.indexOf(';');
        String bare = semicolon < 0 ? segment : segment.substring(0, semicolon);
        if (bare.equals(".") || bare.equals("..")) {
          throw RequestRejectedException.badRequest("dot segment with parameters in path");
        }
        segments.add(segment);
        trailingSlash = false;
      }
      start = end + 1;
    }
    StringBuilder normalized = new StringBuilder(path.length());
    for (String segment : segments) {
      normalized.append('/').append(segment);
    }
    if (segments.isEmpty() || trailingSlash) {
      normalized.append('/');
    }
    return normalized.toString();
  }

  private static void checkQuery(String query) {
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw RequestRejectedException.badRequest("control, space or non-ASCII character in query");
      }
      if (c == '#') {
        throw RequestRejectedException.badRequest("fragment in request target");
      }
    }
  }

  private static void checkPathChar(char c) {
    if (c <= 0x20 || c >= 0x7f) {
      throw RequestRejectedException.badRequest("control, space or non-ASCII character in path");
    }
    if (c == '\\') {
      throw RequestRejectedException.badRequest("backslash in path");
    }
    if (c == '#') {
      throw RequestRejectedException.badRequest("fragment in request target");
    }
  }

  private static int escapedByte(String raw, int percent) {
    if (percent + 2 >= raw.length()) {
      throw RequestRejectedException.badRequest("invalid percent-encoding in path");
    }
    int high = Character.digit(raw.charAt(percent + 1), 16);
    int low = Character.digit(raw.charAt(percent + 2), 16);
    if (high < 0 || low < 0 || raw.charAt(percent + 1) > 0x7f || raw.charAt(percent + 2) > 0x7f) {
      throw RequestRejectedException.badRequest("invalid percent-encoding in path");
    }
    return high << 4 | low;
  }

  /** RFC 3986 section 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  private static boolean isUnreserved(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
