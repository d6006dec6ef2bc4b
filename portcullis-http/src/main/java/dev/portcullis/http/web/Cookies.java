package dev.portcullis.http.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the Cookie request header and writes Set-Cookie values with Portcullis's fixed attributes. */
public final class Cookies {
  private Cookies() {}

  /**
   * Every value of the named cookie, in header order. A browser may send the same name twice (one set
   * by a parent domain); callers try each and accept only one that verifies.
   */
  public static List<String> values(List<String> cookieHeaders, String name) {
    List<String> values = new ArrayList<>(1);
    for (String header : cookieHeaders) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
          values.add(unquote(pair.substring(eq + 1).strip()));
        }
      }
    }
    return values;
  }

  /** RFC 6265 section 4.1.1 lets a cookie value be wrapped in double quotes; the quotes are not part of it. */
  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
  }

  /**
   * A host-only, HttpOnly, SameSite=Lax cookie on path {@code /}; Secure whenever the site is served
   * over HTTPS. A null max-age makes a browser-session cookie.
   */
  public static String set(String name, String value, boolean secure, Duration maxAge) {
    StringBuilder cookie = new StringBuilder(name).append('=').append(value).append("; Path=/; HttpOnly; SameSite=Lax");
    if (secure) {
      cookie.append("; Secure");
    }
    if (maxAge != null) {
      cookie.append("; Max-Age=").append(maxAge.toSeconds());
    }
    return cookie.toString();
  }

  /** A Set-Cookie value that removes the cookie. */
  public static String clear(String name, boolean secure) {
    return set(name, "", secure, Duration.ZERO);
  }
}
