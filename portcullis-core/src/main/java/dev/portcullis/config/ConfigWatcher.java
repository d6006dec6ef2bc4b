package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the configuration file and reports each change as a new valid config or as the reason it was
 * rejected. Polling the content hash, not a {@code WatchService}, works on every filesystem (network
 * mounts, Kubernetes ConfigMap symlinks). A change is read once it has been stable for one interval,
 * so a half-written file is not reported. The caller keeps running its current config on a rejection.
 */
public final class ConfigWatcher implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

  /** What a reload produced. */
  public sealed interface Result permits Reloaded, Rejected {}

  /** The file changed and is valid. */
  public record Reloaded(PortcullisConfig config) implements Result {
    public Reloaded {
      requireNonNull(config, "config");
    }
  }

  /** The file changed and is not usable; keep the running config. */
  public record Rejected(ConfigException error) implements Result {
    public Rejected {
      requireNonNull(error, "error");
    }
  }

  private final Path file;
  private final Map<String, String> environment;
  private final Consumer<Result> listener;
  private final ScheduledExecutorService executor;
  private byte[] current;
  private byte[] pending;

  private ConfigWatcher(Path file, Map<String, String> environment, Consumer<Result> listener) {
    this.file = file;
    this.environment = environment;
    this.listener = listener;
    this.current = hash(read());
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "portcullis-config-watcher");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts watching {@code file}, resolving {@code ${...}} from the process environment. */
  public static ConfigWatcher start(Path file, Duration pollInterval, Consumer<Result> listener) {
    return start(file, pollInterval, System.getenv(), listener);
  }

  /**
   * Starts watching {@code file}. The content at this moment is the baseline: only later changes are
   * reported, so load the config first and then start the watcher.
   *
   * @param pollInterval how often to read the file; 1s suits production, tests use a few milliseconds
   * @param listener called on the watcher's daemon thread, one result at a time
   */
  public static ConfigWatcher start(
      Path file, Duration pollInterval, Map<String, String> environment, Consumer<Result> listener) {
    requireNonNull(file, "file");
    requireNonNull(environment, "environment");
    requireNonNull(listener, "listener");
    if (!pollInterval.isPositive()) {
      throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: > 0)");
    }
    ConfigWatcher watcher = new ConfigWatcher(file, Map.copyOf(environment), listener);
    long millis = Math.max(1, pollInterval.toMillis());
    watcher.executor.scheduleWithFixedDelay(watcher::poll, millis, millis, TimeUnit.MILLISECONDS);
    return watcher;
  }

  private void poll() {
    try {
      byte[] content = read();
      byte[] digest = hash(content);
      if (Arrays.equals(digest, current)) {
        pending = null;
        return;
      }
      if (!Arrays.equals(digest, pending)) {
        pending = digest; // changed since the last poll: wait until it holds still
        return;
      }
      current = digest;
      pending = null;
      listener.accept(content == null ? unreadable() : parse(content));
    } catch (RuntimeException e) {
      log.error("Configuration watcher for {} failed; it keeps polling", file, e);
    }
  }

  private Result parse(byte[] content) {
    try {
      String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(content)).toString();
      return new Reloaded(ConfigLoader.parse(text, file.toString(), environment));
    } catch (java.nio.charset.CharacterCodingException e) {
      return new Rejected(new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "", "is not UTF-8 text"))));
    } catch (ConfigException e) {
      return new Rejected(e);
    }
  }

  private Result unreadable() {
    return new Rejected(new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "",
        "cannot read: the file is missing or unreadable"))));
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] hash(byte[] content) {
    if (content == null) {
      return new byte[0];
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Stops polling and waits briefly for a reload in progress to finish. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
