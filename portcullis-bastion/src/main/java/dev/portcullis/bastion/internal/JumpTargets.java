package dev.portcullis.bastion.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands each hop from the outer listener to the inner server, keyed by the loopback port of the connection the
 * outer listener opened for it. A connection to the inner server that nobody registered (another local process)
 * finds nothing and is dropped.
 */
public final class JumpTargets {
  private final Map<Integer, JumpTarget> byLocalPort = new ConcurrentHashMap<>();

  void register(int localPort, JumpTarget target) {
    byLocalPort.put(localPort, target);
  }

  /** The hop for a connection from {@code remotePort}; the entry stays until {@link #release}. */
  Optional<JumpTarget> find(int remotePort) {
    return Optional.ofNullable(byLocalPort.get(remotePort));
  }

  void release(int localPort) {
    byLocalPort.remove(localPort);
  }
}
