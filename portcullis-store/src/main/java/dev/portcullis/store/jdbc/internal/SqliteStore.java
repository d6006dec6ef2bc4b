package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.store.StoreEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The {@link dev.portcullis.store.Store} on an embedded SQLite file that one process owns: writes go
 * through the file's {@link SqliteWriter}, which commits concurrent ones together, and watches hear of
 * commits in-process.
 */
public final class SqliteStore extends JdbcStore {
  private static final String NEXT_REVISION =
      "UPDATE store_revision SET value = value + 1 WHERE id = 1 RETURNING value";

  private final SqliteWriter writer;
  private final ExecutorService dispatcher =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("portcullis-sqlite-watch").factory());

  /**
   * @param dataSource pooled connections to the migrated database
   * @param writer the writer that every write to this database file in this process goes through
   * @param clock judges expiry
   */
  public SqliteStore(DataSource dataSource, SqliteWriter writer, InstantSource clock) {
    super(dataSource, clock);
    this.writer = requireNonNull(writer, "writer");
  }

  @Override
  protected <T> T write(String what, TxWork<T> work) {
    return writer.write(what, new SqliteWriter.Job<T>() {
      private final List<StoreEvent> events = new ArrayList<>(1);

      @Override
      public T run(Connection connection) throws SQLException {
        return work.run(new SqliteTx(connection, events));
      }

      @Override
      public void committed(T result) {
        publish(events);
      }
    });
  }

  /**
   * Hands the events of one committed write to the watch thread. The writer calls this in commit order,
   * so watches see events in commit order. Events no watch covers now are dropped: a watch registered
   * after the commit need not hear of it.
   */
  private void publish(List<StoreEvent> events) {
    List<StoreEvent> watched = new ArrayList<>(events.size());
    for (StoreEvent event : events) {
      if (watchers.interestedIn(event.key())) {
        watched.add(event);
      }
    }
    if (watched.isEmpty()) {
      return;
    }
    try {
      dispatcher.execute(() -> watched.forEach(watchers::publish));
    } catch (RejectedExecutionException closing) {
      // The store is closing and its watches are gone.
    }
  }

  private record SqliteTx(Connection connection, List<StoreEvent> events) implements Tx {
    @Override
    public long nextRevision() throws SQLException {
      return Sql.prepared(connection, NEXT_REVISION, statement -> {
        try (ResultSet rows = statement.executeQuery()) {
          if (!rows.next()) {
            throw new SQLException("store_revision has no row; the database was not migrated");
          }
          return rows.getLong(1);
        }
      });
    }

    @Override
    public void emit(StoreEvent event) {
      events.add(event);
    }
  }

  @Override
  public void close() {
    super.close();
    dispatcher.shutdown();
    try {
      dispatcher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
