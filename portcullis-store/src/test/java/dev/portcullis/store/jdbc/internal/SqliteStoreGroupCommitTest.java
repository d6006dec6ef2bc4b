package dev.portcullis.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.store.Item;
import dev.portcullis.store.StoreEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store on a writer that groups commits: watches still hear of writes in commit order. */
class SqliteStoreGroupCommitTest {
  @TempDir Path dir;
  SqliteFile file;
  SqliteWriter writer;
  SqliteStore store;
  final ExecutorService threads = Executors.newCachedThreadPool();
  final CountDownLatch release = new CountDownLatch(1);
  final LinkedBlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() {
    file = new SqliteFile(dir, 4);
    writer = new SqliteWriter(file.pool);
    store = new SqliteStore(file.pool, writer, InstantSource.fixed(Instant.parse("2030-01-01T00:00:00Z")));
    store.watch("k/", events::add);
  }

  @AfterEach
  void close() {
    release.countDown();
    threads.shutdownNow();
    store.close();
    file.close();
  }

  @Test
  void writesCommittedTogetherAreWatchedInTheOrderTheyQueued() throws Exception {
    store.put("k/taken", bytes("x"), Optional.empty());
    assertThat(events.poll(10, TimeUnit.SECONDS)).isInstanceOf(StoreEvent.Put.class);
    CountDownLatch running = new CountDownLatch(1);
    Future<String> held = threads.submit(() -> writer.write("held", connection -> {
      running.countDown();
      awaitRelease();
      return "held";
    }));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    List<Future<?>> writes = new ArrayList<>();
    writes.add(queue(() -> store.put("k/3", bytes("c"), Optional.empty())));
    writes.add(queue(() -> store.create("k/taken", bytes("y"), Optional.empty())));
    writes.add(queue(() -> store.put("k/1", bytes("a"), Optional.empty())));
    writes.add(queue(() -> store.delete("k/taken")));
    writes.add(queue(() -> store.put("k/2", bytes("b"), Optional.empty())));
    release.countDown();
    held.get(10, TimeUnit.SECONDS);
    for (Future<?> write : writes) {
      write.get(10, TimeUnit.SECONDS);
    }

    List<StoreEvent> heard = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      heard.add(events.poll(10, TimeUnit.SECONDS));
    }
    assertThat(heard).extracting(StoreEvent::key).containsExactly("k/3", "k/1", "k/taken", "k/2");
    assertThat(heard.stream().filter(StoreEvent.Put.class::isInstance)
            .map(event -> ((StoreEvent.Put) event).item().revision()).toList())
        .as("revisions grow in commit order").isSorted().doesNotHaveDuplicates();
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("the create that found the key taken is not heard")
        .isNull();
    assertThat(writer.transactions()).as("the first put, the held write, then the five together").isEqualTo(3);
    assertThat(store.get("k/taken")).isEmpty();
    assertThat(store.range("k/", 10)).extracting(Item::key).containsExactly("k/1", "k/2", "k/3");
  }

  private Future<?> queue(Runnable write) throws InterruptedException {
    int before = writer.waiting();
    Future<?> future = threads.submit(write);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writer.waiting() == before) {
      assertThat(System.nanoTime()).as("the write queued").isLessThan(deadline);
      Thread.sleep(1);
    }
    return future;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void awaitRelease() throws SQLException {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
  }
}
