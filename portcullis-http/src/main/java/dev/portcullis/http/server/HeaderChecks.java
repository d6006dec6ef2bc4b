package dev.portcullis.http.server;

import dev.portcullis.http.server.internal.CheckedHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validation of header names and values supplied by gate code, so nothing it returns can split a response. The
 * checked copies are {@link CheckedHeader}s, ready to encode.
 */
final class HeaderChecks {

  private HeaderChecks() {}

  static List<Map.Entry<String, String>> copyOf(List<Map.Entry<String, String>> headers, String what) {
    if (headers == null) {
      throw new NullPointerException(what);
    }
    List<Map.Entry<String, String>> copy = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> header : headers) {
      if (header == null) {
        throw new NullPointerException(what + ": null entry");
      }
      copy.add(new CheckedHeader(checkName(header.getKey(), what), checkValue(header.getValue(), what)));
    }
    return List.copyOf(copy);
  }

  /** RFC 9110 section 5.1: a field name is a token. */
  static String checkName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + ": header name '" + name + "' (expected: a non-empty token)");
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        throw new IllegalArgumentException(
            what + ": header name '" + name + "' (expected: token characters only, RFC 9110 section 5.1)");
      }
    }
    return name;
  }

  /** RFC 9110 section 5.5: visible characters, space and tab; never CR, LF or NUL. */
  static String checkValue(String value, String what) {
    if (value == null) {
      throw new NullPointerException(what + ": header value");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        throw new IllegalArgumentException(
            what + ": header value contains character 0x" + Integer.toHexString(c)
                + " (expected: visible characters, space or tab)");
      }
    }
    return value;
  }

  static boolean isTokenChar(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
