package dev.portcullis.http.proxy.internal;

import dev.portcullis.http.server.UpstreamOptions;
import dev.portcullis.http.server.UpstreamTarget;

/** Identifies a pool of interchangeable upstream connections: same origin, same options. */
public record UpstreamKey(boolean tls, String host, int port, UpstreamOptions options) {

  public static UpstreamKey of(UpstreamTarget target) {
    return new UpstreamKey(target.tls(), target.host(), target.port(), target.options());
  }

  /**
   * Pools look a key up on every request. The origin tells keys apart well enough, and hashing the options
   * would hash their CA certificates each time; equal keys still have equal origins.
   */
  @Override
  public int hashCode() {
    return (host.hashCode() * 31 + port) * 2 + (tls ? 1 : 0);
  }

  @Override
  public String toString() {
    // Options hold certificates; the origin is what a log reader needs.
    return (tls ? "https://" : "http://") + host + ":" + port;
  }
}
