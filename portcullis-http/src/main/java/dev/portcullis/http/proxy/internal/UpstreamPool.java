package dev.portcullis.http.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive upstream connections of one event loop, per {@link UpstreamKey}. Only that loop touches it,
 * so it needs no locks. Reuse is most-recent-first; connections idle longer than their key's idle timeout are
 * closed by a single self-rescheduling sweep.
 */
public final class UpstreamPool {

  private record Idle(Channel channel, long since) {}

  private final EventLoop loop;
  private final int maxIdlePerKey;
  private final Map<UpstreamKey, ArrayDeque<Idle>> idle = new HashMap<>();
  private long sweepDue = Long.MAX_VALUE;
  private boolean closed;

  public UpstreamPool(EventLoop loop, int maxIdlePerKey) {
    this.loop = loop;
    this.maxIdlePerKey = maxIdlePerKey;
  }

  public EventLoop loop() {
    return loop;
  }

  /** A live idle connection for {@code key}, or {@code null}. */
  public Channel acquire(UpstreamKey key) {
    ArrayDeque<Idle> connections = idle.get(key);
    if (connections == null) {
      return null;
    }
    long now = System.nanoTime();
    long maxIdle = key.options().idleTimeout().toNanos();
    Idle candidate;
    while ((candidate = connections.pollLast()) != null) {
      if (candidate.channel.isActive() && now - candidate.since < maxIdle) {
        return candidate.channel;
      }
      candidate.channel.close();
    }
    return null;
  }

  /** Keeps {@code channel} for reuse, or closes it when the pool is full or shut. */
  public void release(UpstreamKey key, Channel channel) {
    if (closed || maxIdlePerKey == 0 || !channel.isActive()) {
      channel.close();
      return;
    }
    ArrayDeque<Idle> connections = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
    if (connections.size() >= maxIdlePerKey) {
      channel.close();
      return;
    }
    channel.config().setAutoRead(true);
    long now = System.nanoTime();
    connections.addLast(new Idle(channel, now));
    long due = now + key.options().idleTimeout().toNanos();
    if (due < sweepDue) {
      // An earlier sweep already scheduled stays harmless: it only closes what has expired.
      scheduleSweep(now, due);
    }
  }

  /** Forgets a pooled connection that the upstream closed. */
  public void remove(UpstreamKey key, Channel channel) {
    ArrayDeque<Idle> connections = idle.get(key);
    if (connections != null) {
      connections.removeIf(i -> i.channel == channel);
    }
  }

  /** Closes every idle connection; later releases close immediately. */
  public void close() {
    closed = true;
    idle.values().forEach(q -> q.forEach(i -> i.channel.close()));
    idle.clear();
  }

  int idleCount() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  private void scheduleSweep(long now, long due) {
    sweepDue = due;
    loop.schedule(this::sweep, Math.max(due - now, TimeUnit.MILLISECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
  }

  private void sweep() {
    long now = System.nanoTime();
    if (now < sweepDue) {
      return;
    }
    sweepDue = Long.MAX_VALUE;
    long nextDue = Long.MAX_VALUE;
    for (Iterator<Map.Entry<UpstreamKey, ArrayDeque<Idle>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<UpstreamKey, ArrayDeque<Idle>> entry = it.next();
      long maxIdle = entry.getKey().options().idleTimeout().toNanos();
      ArrayDeque<Idle> connections = entry.getValue();
      // Oldest first: the deque is ordered by release time.
      while (!connections.isEmpty() && now - connections.peekFirst().since >= maxIdle) {
        connections.pollFirst().channel.close();
      }
      if (connections.isEmpty()) {
        it.remove();
      } else {
        nextDue = Math.min(nextDue, connections.peekFirst().since + maxIdle - now);
      }
    }
    if (nextDue != Long.MAX_VALUE && !closed) {
      scheduleSweep(now, now + nextDue);
    }
  }
}
