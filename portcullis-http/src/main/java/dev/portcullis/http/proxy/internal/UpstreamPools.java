package dev.portcullis.http.proxy.internal;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One {@link UpstreamPool} per event loop of a server, plus the connector they share. */
public final class UpstreamPools {

  private final ConcurrentMap<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
  private final UpstreamConnector connector = new UpstreamConnector();
  private final int maxIdlePerKey;

  public UpstreamPools(int maxIdlePerKey) {
    this.maxIdlePerKey = maxIdlePerKey;
  }

  public UpstreamPool forLoop(EventLoop loop) {
    UpstreamPool pool = pools.get(loop);
    return pool != null ? pool : pools.computeIfAbsent(loop, l -> new UpstreamPool(l, maxIdlePerKey));
  }

  public UpstreamConnector connector() {
    return connector;
  }

  /** Closes idle connections on their own loops. */
  public void close() {
    pools.forEach((loop, pool) -> {
      if (!loop.isShuttingDown()) {
        loop.execute(pool::close);
      }
    });
  }
}
