package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;

/**
 * Where a forwarded request goes: an application name (for logs and audit) and an origin
 * {@code scheme://host[:port]} with the options for reaching it.
 */
public record UpstreamTarget(String appName, URI origin, UpstreamOptions options) {

  public UpstreamTarget {
    requireNonNull(appName, "appName");
    requireNonNull(origin, "origin");
    requireNonNull(options, "options");
    String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("origin: " + origin + " (expected: an http or https URI)");
    }
    if (origin.getHost() == null || origin.getRawUserInfo() != null || origin.getRawQuery() != null
        || origin.getRawFragment() != null
        || (origin.getRawPath() != null && !origin.getRawPath().isEmpty() && !origin.getRawPath().equals("/"))) {
      throw new IllegalArgumentException("origin: " + origin + " (expected: scheme://host[:port] only)");
    }
  }

  public static UpstreamTarget of(String appName, String origin) {
    return new UpstreamTarget(appName, URI.create(origin), UpstreamOptions.DEFAULTS);
  }

  public UpstreamTarget withOptions(UpstreamOptions newOptions) {
    return new UpstreamTarget(appName, origin, newOptions);
  }

  public boolean tls() {
    return origin.getScheme().equalsIgnoreCase("https");
  }

  /** The origin host without brackets for IPv6 literals, lower-cased. */
  public String host() {
    String host = origin.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.toLowerCase(Locale.ROOT);
  }

  public int port() {
    return origin.getPort() != -1 ? origin.getPort() : (tls() ? 443 : 80);
  }

  /** The {@code Host} header value for this origin: host, plus the port unless it is the scheme's default. */
  public String hostHeader() {
    String host = host().indexOf(':') >= 0 ? "[" + host() + "]" : host();
    return origin.getPort() == -1 || origin.getPort() == (tls() ? 443 : 80) ? host : host + ":" + origin.getPort();
  }
}
