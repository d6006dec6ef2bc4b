package dev.portcullis.bastion.recording.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread that writes every live recording to disk: each tick it moves buffered lines to
 * the part files, and it fsyncs a file once the sync interval has passed since its last fsync.
 */
public final class Flusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
  /** Buffered lines go to the file at least this often, so memory stays small even between fsyncs. */
  private static final Duration MAX_TICK = Duration.ofMillis(100);

  private final Set<LiveCast> casts = ConcurrentHashMap.newKeySet();
  private final long tickNanos;
  private final long syncIntervalNanos;
  private final Thread thread;
  private volatile boolean stopped;

  public Flusher(Duration syncInterval) {
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new IllegalArgumentException("syncInterval: " + syncInterval + " (expected: > 0)");
    }
    this.syncIntervalNanos = syncInterval.toNanos();
    this.tickNanos = Math.min(syncIntervalNanos, MAX_TICK.toNanos());
    this.thread = Thread.ofPlatform().daemon().name("portcullis-recordings").start(this::run);
  }

  public void add(LiveCast cast) {
    casts.add(cast);
  }

  public void remove(LiveCast cast) {
    casts.remove(cast);
  }

  /** Makes the thread run now; never blocks, so SSH I/O threads may call it. */
  public void wake() {
    LockSupport.unpark(thread);
  }

  private void run() {
    while (!stopped) {
      LockSupport.parkNanos(this, tickNanos);
      for (LiveCast cast : casts) {
        try {
          cast.flushInBackground(syncIntervalNanos);
        } catch (RuntimeException e) {
          LOG.error("Writing recording {} failed", cast.id(), e);
        }
      }
    }
  }

  /** Stops the thread after its current pass; recordings still registered are left to their owners. */
  @Override
  public void close() {
    stopped = true;
    wake();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
