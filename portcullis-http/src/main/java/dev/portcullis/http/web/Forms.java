package dev.portcullis.http.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses query strings and {@code application/x-www-form-urlencoded} bodies; the first value of a name wins. */
public final class Forms {
  private static final int MAX_PARAMETERS = 64;

  private Forms() {}

  public static Map<String, String> parse(String encoded) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return parameters;
    }
    for (String pair : encoded.split("&", MAX_PARAMETERS + 1)) {
      if (parameters.size() >= MAX_PARAMETERS || pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (name != null && value != null) {
        parameters.putIfAbsent(name, value);
      }
    }
    return parameters;
  }

  public static Map<String, String> parse(byte[] body) {
    return parse(new String(body, StandardCharsets.UTF_8));
  }

  public static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
