package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.IpLiterals;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code host:port} to listen on; IPv6 hosts are written in brackets ({@code [::1]:8443}). Port 0 asks
 * the operating system for a free port.
 *
 * @param host an IP literal (IPv6 without brackets) or a host name
 * @param port 0-65535
 */
public record ListenAddress(String host, int port) {
  private static final String EXPECTED = "host:port, for example 127.0.0.1:8443 or [::1]:8443";
  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  static final ListenAddress DEFAULT = new ListenAddress("127.0.0.1", 8443);

  public ListenAddress {
    Check.text(host, "host", EXPECTED);
    if (IpLiterals.parse(host).isEmpty() && !HOST_NAME.matcher(host).matches()) {
      throw Check.invalid(List.of(), Check.quote(host) + " is not an IP address or host name (expected: " + EXPECTED + ")");
    }
    if (port < 0 || port > 65_535) {
      throw Check.invalid(List.of(), "port " + port + " is out of range (expected: 0-65535)");
    }
  }

  /** Parses {@code host:port} or {@code [ipv6]:port}. */
  public static ListenAddress parse(String text) {
    String value = text == null ? "" : text.strip();
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? "" : value.substring(0, colon);
    String port = colon < 0 ? "" : value.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (!host.contains(":")) {
        host = "";
      }
    } else if (host.contains(":")) {
      host = "";
    }
    if (host.isEmpty() || !port.matches("[0-9]{1,5}")) {
      throw Check.invalid(List.of(), Check.quote(value) + " is not a listen address (expected: " + EXPECTED + ")");
    }
    return new ListenAddress(host, Integer.parseInt(port));
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
