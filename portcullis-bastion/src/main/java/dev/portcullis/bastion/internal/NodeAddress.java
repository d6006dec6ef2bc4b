package dev.portcullis.bastion.internal;

/**
 * A node's sshd address as enrolled, {@code host:port} or {@code [v6]:port}.
 *
 * @param host the host name or IP literal (IPv6 without brackets)
 * @param port the sshd port
 */
record NodeAddress(String host, int port) {

  static NodeAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      return new NodeAddress(address, 22);
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      // An IPv6 literal without a port.
      return new NodeAddress(address, 22);
    }
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("address: " + address + " (expected: a port 1-65535)");
      }
      return new NodeAddress(host, port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address: " + address + " (expected: host:port)", e);
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
