package dev.portcullis.testing.internal;

import java.net.CookieHandler;
import java.net.HttpCookie;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A browser-like cookie store (RFC 6265 path rules). The JDK's CookieManager follows RFC 2965 and
 * drops cookies whose path is not a prefix of the request path, which real providers set routinely.
 */
public final class CookieJar extends CookieHandler {

  private record Key(String host, String path, String name) {}

  private final Map<Key, String> cookies = new LinkedHashMap<>();

  @Override
  public synchronized Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    List<String> pairs = new ArrayList<>();
    cookies.forEach((key, value) -> {
      if (key.host().equalsIgnoreCase(uri.getHost()) && pathMatches(path, key.path())) {
        pairs.add(key.name() + "=" + value);
      }
    });
    return pairs.isEmpty() ? Map.of() : Map.of("Cookie", List.of(String.join("; ", pairs)));
  }

  @Override
  public synchronized void put(URI uri, Map<String, List<String>> responseHeaders) {
    responseHeaders.forEach((header, values) -> {
      if (header == null || !header.equalsIgnoreCase("Set-Cookie")) {
        return;
      }
      for (String value : values) {
        for (HttpCookie cookie : HttpCookie.parse(value)) {
          String path = cookie.getPath() != null ? cookie.getPath() : defaultPath(uri);
          Key key = new Key(uri.getHost(), path, cookie.getName());
          if (cookie.getMaxAge() == 0) {
            cookies.remove(key);
          } else {
            cookies.put(key, cookie.getValue());
          }
        }
      }
    });
  }

  private static boolean pathMatches(String requestPath, String cookiePath) {
    return requestPath.equals(cookiePath)
        || (requestPath.startsWith(cookiePath)
            && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/'));
  }

  private static String defaultPath(URI uri) {
    String path = uri.getRawPath();
    if (path == null || !path.startsWith("/") || path.lastIndexOf('/') == 0) {
      return "/";
    }
    return path.substring(0, path.lastIndexOf('/'));
  }
}
