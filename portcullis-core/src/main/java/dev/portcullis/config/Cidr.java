package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code fd00::/8}. A bare address is a single
 * host ({@code /32} or {@code /128}). Host bits must be zero, so a typo cannot widen the network silently.
 *
 * @param network the network address, with all host bits zero
 * @param prefixLength the number of leading bits that must match: 0-32 for IPv4, 0-128 for IPv6
 */
public record Cidr(InetAddress network, int prefixLength) {
  private static final String EXPECTED = "an IPv4 or IPv6 network such as 10.0.0.0/8 or fd00::/8";

  public Cidr {
    requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw Check.invalid(List.of(), "prefix length " + prefixLength + " is out of range (expected: 0-" + bits + ")");
    }
    byte[] address = network.getAddress();
    for (int bit = prefixLength; bit < bits; bit++) {
      if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw Check.invalid(List.of(), network.getHostAddress() + "/" + prefixLength
            + " has host bits set (expected: " + EXPECTED + "; did you mean "
            + masked(address, prefixLength) + "/" + prefixLength + "?)");
      }
    }
  }

  /** Parses {@code address/prefix} or a bare address. Only literals are accepted: no DNS lookup ever. */
  public static Cidr parse(String text) {
    String value = requireNonNull(text, "text").strip();
    int slash = value.indexOf('/');
    String host = slash < 0 ? value : value.substring(0, slash);
    InetAddress address = IpLiterals.parse(host).orElseThrow(
        () -> Check.invalid(List.of(), Check.quote(value) + " is not a CIDR (expected: " + EXPECTED + ")"));
    int bits = address.getAddress().length * 8;
    if (slash < 0) {
      return new Cidr(address, bits);
    }
    String prefix = value.substring(slash + 1);
    if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > bits) {
      throw Check.invalid(List.of(), Check.quote(value) + " has an invalid prefix length (expected: 0-" + bits + ")");
    }
    return new Cidr(address, Integer.parseInt(prefix));
  }

  /** True when {@code address} is inside this network; an IPv4 address never matches an IPv6 network. */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    byte[] net = network.getAddress();
    if (candidate.length != net.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != net[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (candidate[full] & mask) == (net[full] & mask);
  }

  public boolean isIpv4() {
    return network instanceof Inet4Address;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }

  private static String masked(byte[] address, int prefixLength) {
    byte[] copy = address.clone();
    for (int bit = prefixLength; bit < copy.length * 8; bit++) {
      copy[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(copy).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
