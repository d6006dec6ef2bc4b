package dev.portcullis.config.internal;

import java.net.URI;
import java.net.URISyntaxException;

/** Checks for the URLs in the configuration: origins, issuers and upstreams. */
public final class Urls {
  private Urls() {}

  /** Parses a URL, failing with a message that names the syntax problem. */
  public static URI parse(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw Check.invalid(java.util.List.of(), Check.quote(text) + " is not a valid URL: " + e.getReason()
          + " at index " + e.getIndex() + " (expected: for example https://host[:port])");
    }
  }

  /**
   * Requires an http(s) URL with a host, no user info, query or fragment. Plain http is allowed
   * only for loopback hosts unless {@code allowHttp}, because anything else would travel in clear.
   */
  public static void requireHttpUrl(URI uri, String key, boolean allowHttp, String expected) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    boolean web = scheme.equals("https") || scheme.equals("http");
    if (!web || uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw Check.invalid(key, Check.quote(uri.toString()) + " is not an absolute http(s) URL (expected: "
          + expected + ")");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw Check.invalid(key, Check.quote(uri.toString()) + " has a query or fragment (expected: "
          + expected + ")");
    }
    if (scheme.equals("http") && !allowHttp && !IpLiterals.isLoopbackHost(uri.getHost())) {
      throw Check.invalid(key, Check.quote(uri.toString())
          + " uses http for a host that is not loopback (expected: https, or http only for localhost, *.localhost,"
          + " 127.0.0.0/8 or [::1])");
    }
  }

  /** Requires that the URL has no path beyond {@code /} and returns it as {@code scheme://host[:port]}. */
  public static URI origin(URI uri, String key, String expected) {
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw Check.invalid(key, Check.quote(uri.toString()) + " has a path (expected: " + expected + ")");
    }
    try {
      return new URI(uri.getScheme().toLowerCase(java.util.Locale.ROOT), null,
          uri.getHost().toLowerCase(java.util.Locale.ROOT), uri.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw Check.invalid(key, Check.quote(uri.toString()) + " is not a valid origin (expected: " + expected + ")");
    }
  }
}
