package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  static final Duration POLL = Duration.ofMillis(10);

  @TempDir Path dir;

  final BlockingQueue<ConfigWatcher.Result> results = new LinkedBlockingQueue<>();
  ConfigWatcher watcher;

  @AfterEach
  void stopWatcher() {
    if (watcher != null) {
      watcher.close();
    }
  }

  static String config(String idle) {
    return ConfigErrorsTest.BASE + "session:\n  idle_timeout: " + idle + "\n";
  }

  /** Replaces the file atomically, as deploy tools do, so no poll can see it half written. */
  void write(Path file, String content) throws IOException {
    Path temp = Files.writeString(dir.resolve(file.getFileName() + ".tmp"), content);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  ConfigWatcher.Result next() throws InterruptedException {
    ConfigWatcher.Result result = results.poll(5, TimeUnit.SECONDS);
    assertThat(result).as("a reload result within 5s").isNotNull();
    return result;
  }

  @Test
  void reportsAGoodReloadThenARejectedOneThenRecovers() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    write(file, config("1h"));
    watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add);
    write(file, config("2h"));
    assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Reloaded.class,
        r -> assertThat(r.config().session().idleTimeout()).isEqualTo(Duration.ofHours(2)));

    write(file, config("soon"));
    assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Rejected.class,
        r -> assertThat(r.error().getMessage()).startsWith(file + ":9:17: session.idle_timeout: \"soon\""));

    write(file, config("3h"));
    assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Reloaded.class,
        r -> assertThat(r.config().session().idleTimeout()).isEqualTo(Duration.ofHours(3)));
  }

  @Test
  void staysQuietWhileTheContentIsUnchanged() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    write(file, config("1h"));
    watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add);
    write(file, config("1h")); // same bytes, new mtime
    assertThat(results.poll(300, TimeUnit.MILLISECONDS)).isNull();

    write(file, config("4h"));
    assertThat(next()).isInstanceOf(ConfigWatcher.Reloaded.class);
    assertThat(results.poll(300, TimeUnit.MILLISECONDS)).as("one change, one report").isNull();
  }

  @Test
  void reportsADeletedFileAsRejected() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    write(file, config("1h"));
    watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add);
    Files.delete(file);
    assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Rejected.class,
        r -> assertThat(r.error().getMessage()).isEqualTo(file + ": cannot read: the file is missing or unreadable"));

    write(file, config("1h"));
    assertThat(next()).isInstanceOf(ConfigWatcher.Reloaded.class);
  }

  @Test
  void stopsPollingWhenClosed() throws IOException, InterruptedException {
    Path file = dir.resolve("portcullis.yaml");
    write(file, config("1h"));
    watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add);
    watcher.close();

    write(file, config("5h"));
    assertThat(results.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void keepsPollingWhenTheListenerThrows() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    write(file, config("1h"));
    CountDownLatch thrown = new CountDownLatch(1);
    watcher = ConfigWatcher.start(file, POLL, Map.of(), result -> {
      if (thrown.getCount() > 0) {
        thrown.countDown();
        throw new IllegalStateException("listener bug");
      }
      results.add(result);
    });
    write(file, config("2h"));
    assertThat(thrown.await(5, TimeUnit.SECONDS)).isTrue();
    write(file, config("6h"));
    assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Reloaded.class,
        r -> assertThat(r.config().session().idleTimeout()).isEqualTo(Duration.ofHours(6)));
  }

  @Test
  void refusesANonPositiveInterval() {
    assertThatThrownBy(() -> ConfigWatcher.start(dir.resolve("x.yaml"), Duration.ZERO, Map.of(), r -> {}))
        .hasMessage("pollInterval: PT0S (expected: > 0)");
  }
}
