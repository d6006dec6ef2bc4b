package dev.portcullis.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: writes that queue behind a running transaction share the next one, each atomic on its own. */
class SqliteWriterTest {
  @TempDir Path dir;
  SqliteFile file;
  SqliteWriter writer;
  final ExecutorService threads = Executors.newCachedThreadPool();
  final CountDownLatch release = new CountDownLatch(1);
  final List<String> announced = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void open() {
    file = new SqliteFile(dir, 4);
    writer = new SqliteWriter(file.pool);
  }

  @AfterEach
  void close() {
    release.countDown();
    threads.shutdownNow();
    file.close();
  }

  @Test
  void aFailingWriteInAGroupIsRolledBackAloneWhileTheOthersCommit() throws Exception {
    Future<String> held = holdTheWriter();
    Future<String> first = queue(insert("first"));
    Future<String> failing = queue(connection -> {
      insertRow(connection, "failing");
      throw new SQLException("the write broke halfway");
    });
    Future<String> last = queue(insert("last"));

    release.countDown();

    assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("held");
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo("last");
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(StoreException.class)
        .hasMessage("failing write failed: the write broke halfway");
    assertThat(file.keys()).as("the failed write left nothing behind").containsExactly("first", "held", "last");
    assertThat(writer.transactions()).as("the held write, then the three queued ones together").isEqualTo(2);
    assertThat(announced).as("only committed writes are announced, in commit order")
        .containsExactly("held", "first", "last");
  }

  @Test
  void aWriteThatThrowsAnUncheckedExceptionGetsItBackUnchanged() throws Exception {
    Future<String> held = holdTheWriter();
    IllegalStateException thrown = new IllegalStateException("not now");
    Future<String> failing = queue(connection -> {
      insertRow(connection, "failing");
      throw thrown;
    });
    Future<String> other = queue(insert("other"));

    release.countDown();

    held.get(10, TimeUnit.SECONDS);
    assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("other");
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).cause().isSameAs(thrown);
    assertThat(file.keys()).containsExactly("held", "other");
  }

  @Test
  void aWriteThatEndsTheTransactionFailsEveryWriteInItAndNothingOfThemCommits() throws Exception {
    Future<String> held = holdTheWriter();
    Future<String> first = queue(insert("first"));
    Future<String> breaking = queue(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("ROLLBACK");
      }
      return "breaking";
    });
    Future<String> last = queue(insert("last"));

    release.countDown();

    held.get(10, TimeUnit.SECONDS);
    for (Future<String> write : List.of(first, breaking, last)) {
      assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(StoreException.class);
    }
    assertThat(file.keys()).containsExactly("held");
    assertThat(announced).containsExactly("held");
    assertThat(writer.write("after", insert("after"))).as("the writer still works").isEqualTo("after");
  }

  @Test
  void aWriteAloneIsRolledBackWhenItFails() throws Exception {
    assertThatThrownBy(() -> writer.write("alone", connection -> {
      insertRow(connection, "alone");
      throw new SQLException("no");
    })).isInstanceOf(StoreException.class).hasMessage("alone failed: no");
    assertThat(file.keys()).isEmpty();
    assertThat(writer.write("next", insert("next"))).isEqualTo("next");
    assertThat(file.keys()).containsExactly("next");
  }

  @Test
  void aWriteInsideAWriteFailsInsteadOfWaitingForItself() throws Exception {
    Future<String> outer = threads.submit(() -> writer.write("outer", connection -> {
      insertRow(connection, "outer");
      return writer.write("inner", insert("inner"));
    }));

    assertThatThrownBy(() -> outer.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("inner");
    assertThat(file.keys()).isEmpty();
  }

  @Test
  void manyConcurrentWritersAllCommitAndAreAnnouncedInCommitOrder() throws Exception {
    List<Long> sequence = Collections.synchronizedList(new ArrayList<>());
    List<Future<Long>> writes = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String key = String.format("k%03d", i);
      writes.add(threads.submit(() -> writer.write("counting", new SqliteWriter.Job<Long>() {
        @Override
        public Long run(Connection connection) throws SQLException {
          insertRow(connection, key);
          return Sql.prepared(connection, "SELECT count(*) FROM store_items", statement -> {
            try (var rows = statement.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          });
        }

        @Override
        public void committed(Long rowsSoFar) {
          sequence.add(rowsSoFar);
        }
      })));
    }
    List<Long> results = new ArrayList<>();
    for (Future<Long> write : writes) {
      results.add(write.get(30, TimeUnit.SECONDS));
    }
    assertThat(results).doesNotHaveDuplicates().hasSize(400);
    assertThat(file.keys()).hasSize(400);
    assertThat(sequence).as("each write saw the ones committed before it, and was announced in that order")
        .isSorted().doesNotHaveDuplicates().hasSize(400);
    assertThat(writer.transactions()).isBetween(1L, 400L);
  }

  /** Starts a write that holds the transaction open until {@link #release}, and waits until it does. */
  private Future<String> holdTheWriter() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    Future<String> held = threads.submit(() -> writer.write("held", announcing("held", connection -> {
      insertRow(connection, "held");
      running.countDown();
      awaitRelease();
      return "held";
    })));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    return held;
  }

  /** Starts a write on a thread of its own and returns once it waits in the queue, so queue order is call order. */
  private Future<String> queue(SqliteWriter.Job<String> job) throws InterruptedException {
    int before = writer.waiting();
    Future<String> write = threads.submit(() -> writer.write(whatOf(job), job));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writer.waiting() == before) {
      assertThat(System.nanoTime()).as("the write queued").isLessThan(deadline);
      Thread.sleep(1);
    }
    return write;
  }

  private String whatOf(SqliteWriter.Job<String> job) {
    return job instanceof Named named ? named.name() + " write" : "failing write";
  }

  private SqliteWriter.Job<String> insert(String key) {
    return announcing(key, connection -> {
      insertRow(connection, key);
      return key;
    });
  }

  private interface Named {
    String name();
  }

  private SqliteWriter.Job<String> announcing(String name, SqliteWriter.Job<String> job) {
    abstract class Announcing implements SqliteWriter.Job<String>, Named {}
    return new Announcing() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String run(Connection connection) throws SQLException {
        return job.run(connection);
      }

      @Override
      public void committed(String result) {
        announced.add(result);
      }
    };
  }

  private static void insertRow(Connection connection, String key) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("INSERT INTO store_items (key, value, revision) VALUES (?, x'00', 1)")) {
      statement.setString(1, key);
      statement.executeUpdate();
    }
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
