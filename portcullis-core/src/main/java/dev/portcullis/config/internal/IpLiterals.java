package dev.portcullis.config.internal;

import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever resolving a host name: {@link InetAddress#getByName}
 * would do a DNS lookup for anything that is not a literal, which a config loader must never do.
 */
public final class IpLiterals {
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpLiterals() {}

  /** Parses a dotted-quad IPv4 or an IPv6 literal (without brackets or zone); empty when it is neither. */
  public static Optional<InetAddress> parse(String text) {
    if (IPV4.matcher(text).matches() || (text.contains(":") && IPV6.matcher(text).matches())) {
      try {
        return Optional.of(InetAddress.ofLiteral(text));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** True for {@code localhost}, names under {@code .localhost} (RFC 6761), 127.0.0.0/8 and ::1. */
  public static boolean isLoopbackHost(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    return parse(h).map(InetAddress::isLoopbackAddress).orElse(false);
  }
}
