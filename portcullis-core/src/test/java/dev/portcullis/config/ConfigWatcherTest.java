package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  static final Duration POLL = Duration.ofMillis(10);

  @TempDir Path dir;

  final BlockingQueue<ConfigWatcher.Result> results = new LinkedBlockingQueue<>();

  static String config(String idle) {
    return ConfigErrorsTest.BASE + "session:\n  idle_timeout: " + idle + "\n";
  }

  ConfigWatcher.Result next() throws InterruptedException {
    ConfigWatcher.Result result = results.poll(5, TimeUnit.SECONDS);
    assertThat(result).as("a reload result within 5s").isNotNull();
    return result;
  }

  @Test
  void reportsAGoodReloadThenARejectedOneThenRecovers() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, config("1h"));
    try (ConfigWatcher watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add)) {
      Files.writeString(file, config("2h"));
      assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Reloaded.class,
          r -> assertThat(r.config().session().idleTimeout()).isEqualTo(Duration.ofHours(2)));

      Files.writeString(file, config("soon"));
      assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Rejected.class,
          r -> assertThat(r.error().getMessage()).startsWith(file + ":9:17: session.idle_timeout: \"soon\""));

      Files.writeString(file, config("3h"));
      assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Reloaded.class,
          r -> assertThat(r.config().session().idleTimeout()).isEqualTo(Duration.ofHours(3)));
    }
  }

  @Test
  void staysQuietWhileTheContentIsUnchanged() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, config("1h"));
    try (ConfigWatcher watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add)) {
      Files.writeString(file, config("1h")); // same bytes, new mtime
      assertThat(results.poll(300, TimeUnit.MILLISECONDS)).isNull();

      Files.writeString(file, config("4h"));
      assertThat(next()).isInstanceOf(ConfigWatcher.Reloaded.class);
      assertThat(results.poll(300, TimeUnit.MILLISECONDS)).as("one change, one report").isNull();
    }
  }

  @Test
  void reportsADeletedFileAsRejected() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, config("1h"));
    try (ConfigWatcher watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add)) {
      Files.delete(file);
      assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Rejected.class,
          r -> assertThat(r.error().getMessage()).isEqualTo(file + ": cannot read: the file is missing or unreadable"));

      Files.writeString(file, config("1h"));
      assertThat(next()).isInstanceOf(ConfigWatcher.Reloaded.class);
    }
  }

  @Test
  void stopsPollingWhenClosed() throws IOException, InterruptedException {
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, config("1h"));
    ConfigWatcher watcher = ConfigWatcher.start(file, POLL, Map.of(), results::add);
    watcher.close();

    Files.writeString(file, config("5h"));
    assertThat(results.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void keepsPollingWhenTheListenerThrows() throws Exception {
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, config("1h"));
    java.util.concurrent.CountDownLatch thrown = new java.util.concurrent.CountDownLatch(1);
    try (ConfigWatcher watcher = ConfigWatcher.start(file, POLL, Map.of(), result -> {
      if (thrown.getCount() > 0) {
        thrown.countDown();
        throw new IllegalStateException("listener bug");
      }
      results.add(result);
    })) {
      Files.writeString(file, config("2h"));
      assertThat(thrown.await(5, TimeUnit.SECONDS)).isTrue();
      Files.writeString(file, config("6h"));
      assertThat(next()).isInstanceOfSatisfying(ConfigWatcher.Reloaded.class,
          r -> assertThat(r.config().session().idleTimeout()).isEqualTo(Duration.ofHours(6)));
    }
  }

  @Test
  void refusesANonPositiveInterval() {
    assertThatThrownBy(() -> ConfigWatcher.start(dir.resolve("x.yaml"), Duration.ZERO, Map.of(), r -> {}))
        .hasMessage("pollInterval: PT0S (expected: > 0)");
  }
}
