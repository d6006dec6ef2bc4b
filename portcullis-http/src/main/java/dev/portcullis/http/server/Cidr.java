package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code ::1/128}, used to name trusted proxies. */
public record Cidr(InetAddress network, int prefixLength) {

  public Cidr {
    requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefixLength: " + prefixLength + " (expected: 0.." + bits + ")");
    }
  }

  /** Parses {@code address/prefix} or a single address (a full-length prefix); literal addresses only. */
  public static Cidr parse(String text) {
    requireNonNull(text, "text");
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (address.isEmpty() || !(Character.digit(address.charAt(0), 16) >= 0 || address.charAt(0) == ':')
        || address.chars().anyMatch(c -> !(Character.digit(c, 16) >= 0 || c == '.' || c == ':'))) {
      throw new IllegalArgumentException("cidr: '" + text + "' (expected: an IP literal with an optional /prefix)");
    }
    try {
      InetAddress network = InetAddress.getByName(address);
      int prefix = slash < 0 ? network.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
      return new Cidr(network, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("cidr: '" + text + "' (expected: an IP literal with an optional /prefix)");
    }
  }

  public boolean contains(InetAddress address) {
    byte[] range = network.getAddress();
    byte[] candidate = address.getAddress();
    if (candidate.length != range.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (range[i] != candidate[i]) {
        return false;
      }
    }
    int remainingBits = prefixLength % 8;
    if (remainingBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - remainingBits)) & 0xff;
    return (range[fullBytes] & mask) == (candidate[fullBytes] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
