package dev.portcullis.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the parameters of a redirect, such as an OIDC callback, the way an HTTP server would. */
public final class Redirects {

  private Redirects() {}

  /** The decoded query parameters; a repeated name fails, as a callback handler should refuse it. */
  public static Map<String, String> queryParameters(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (params.put(name, value) != null) {
        throw new IllegalArgumentException("uri: parameter " + name + " repeated (expected: each once)");
      }
    }
    return params;
  }
}
