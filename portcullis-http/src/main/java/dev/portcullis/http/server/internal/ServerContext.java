package dev.portcullis.http.server.internal;

import dev.portcullis.http.proxy.internal.UpstreamPools;
import dev.portcullis.http.server.Cidr;
import dev.portcullis.http.server.ProxyServerSettings;
import dev.portcullis.http.server.RequestGate;
import java.net.InetAddress;

/** What every connection of one server shares: settings, the gate and the upstream pools. */
public record ServerContext(ProxyServerSettings settings, RequestGate gate, UpstreamPools pools, String scheme) {

  public boolean isTrustedProxy(InetAddress address) {
    for (Cidr range : settings.trustedProxies()) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
