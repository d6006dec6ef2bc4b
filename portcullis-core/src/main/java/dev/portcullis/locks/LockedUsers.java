package dev.portcullis.locks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set of locked user names for the request path, re-read from the store every couple of seconds.
 *
 * <p>Polling rather than only watching: an admin command may write the lock from another process, which
 * an embedded store cannot announce. A lock therefore reaches every request within {@link #REFRESH}.
 */
public final class LockedUsers implements AutoCloseable {
  public static final Duration REFRESH = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(LockedUsers.class);

  private final Locks locks;
  private final ScheduledExecutorService refresher;
  private volatile Set<String> locked;

  public LockedUsers(Locks locks) {
    this.locks = requireNonNull(locks, "locks");
    this.locked = read();
    this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("portcullis-locks").factory());
    refresher.scheduleWithFixedDelay(this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isLocked(String username) {
    return locked.contains(username);
  }

  /** Re-reads now, for example right after this process wrote a lock. */
  public void refresh() {
    try {
      locked = read();
    } catch (RuntimeException e) {
      log.warn("cannot re-read user locks, keeping the last known set: {}", e.getMessage());
    }
  }

  private Set<String> read() {
    return locks.list().stream().map(Locks.UserLock::username).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
