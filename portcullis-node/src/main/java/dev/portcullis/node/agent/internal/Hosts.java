package dev.portcullis.node.agent.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Defaults for {@code node join}: this host's name, and the address clients reach its sshd at. */
public final class Hosts {

  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  private Hosts() {}

  /** The kernel's host name, lowercased (no DNS lookup: the node name must not depend on the resolver). */
  public static String hostName() throws IOException {
    return Files.readString(KERNEL_HOSTNAME, StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
  }

  /**
   * The first IPv4 address of an interface that is up and not loopback, by interface index, or an IPv6 one if
   * there is none.
   */
  public static Optional<String> firstNonLoopbackAddress() throws SocketException {
    List<NetworkInterface> interfaces = NetworkInterface.networkInterfaces()
        .filter(Hosts::usable)
        .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
        .toList();
    Optional<String> ipv6 = Optional.empty();
    for (NetworkInterface network : interfaces) {
      for (InetAddress address : network.inetAddresses().toList()) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
          continue;
        }
        if (address instanceof Inet4Address) {
          return Optional.of(address.getHostAddress());
        }
        if (ipv6.isEmpty()) {
          String text = address.getHostAddress();
          int scope = text.indexOf('%');
          ipv6 = Optional.of("[" + (scope < 0 ? text : text.substring(0, scope)) + "]");
        }
      }
    }
    return ipv6;
  }

  private static boolean usable(NetworkInterface network) {
    try {
      return network.isUp() && !network.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
