package dev.portcullis.oidc.internal;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/** The one transport rule for every provider URL: https anywhere, plain http only to a loopback host. */
public final class Transport {

  private Transport() {}

  /** Returns null when {@code uri} is acceptable, else what was expected instead. */
  public static String problem(URI uri) {
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return "an absolute https URL";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return null;
    }
    if (scheme.equals("http") && isLoopback(uri.getHost())) {
      return null;
    }
    return "https, or http only on a loopback host (127.0.0.0/8, ::1, localhost)";
  }

  /**
   * True for {@code localhost} and loopback IP literals. Other names are never resolved: a DNS answer
   * pointing at 127.0.0.1 must not unlock plain http.
   */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.ofLiteral(h).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
