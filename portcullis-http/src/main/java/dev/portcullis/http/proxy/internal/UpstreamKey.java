package dev.portcullis.http.proxy.internal;

import dev.portcullis.http.server.UpstreamOptions;
import dev.portcullis.http.server.UpstreamTarget;

/** Identifies a pool of interchangeable upstream connections: same origin, same options. */
public record UpstreamKey(boolean tls, String host, int port, UpstreamOptions options) {

  public static UpstreamKey of(UpstreamTarget target) {
    return new UpstreamKey(target.tls(), target.host(), target.port(), target.options());
  }

  @Override
  public String toString() {
    // Options hold certificates; the origin is what a log reader needs.
    return (tls ? "https://" : "http://") + host + ":" + port;
  }
}
