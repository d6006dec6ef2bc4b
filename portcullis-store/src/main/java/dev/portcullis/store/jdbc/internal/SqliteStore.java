package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.store.StoreEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The {@link dev.portcullis.store.Store} on an embedded SQLite file that one process owns: writes take
 * turns on a lock shared with the audit log, and watches hear of commits in-process.
 */
public final class SqliteStore extends JdbcStore {
  private final ReentrantLock writeLock;
  private final ExecutorService dispatcher =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("portcullis-sqlite-watch").factory());

  /**
   * @param dataSource pooled connections to the migrated database
   * @param writeLock the lock that every writer of this database file in this process holds
   * @param clock judges expiry
   */
  public SqliteStore(DataSource dataSource, ReentrantLock writeLock, InstantSource clock) {
    super(dataSource, clock);
    this.writeLock = requireNonNull(writeLock, "writeLock");
  }

  @Override
  protected <T> T write(String what, TxWork<T> work) {
    writeLock.lock();
    try {
      List<StoreEvent> events = new ArrayList<>();
      T result =
          Sql.transaction(
              dataSource,
              what,
              connection -> work.run(new SqliteTx(connection, events)));
      // Queued while the lock is held, so watches see events in commit order.
      for (StoreEvent event : events) {
        try {
          dispatcher.execute(() -> watchers.publish(event));
        } catch (RejectedExecutionException closing) {
          break; // the store is closing and its watches are gone
        }
      }
      return result;
    } finally {
      writeLock.unlock();
    }
  }

  private record SqliteTx(Connection connection, List<StoreEvent> events) implements Tx {
    @Override
    public long nextRevision() throws SQLException {
      try (PreparedStatement statement =
              connection.prepareStatement(
                  "UPDATE store_revision SET value = value + 1 WHERE id = 1 RETURNING value");
          ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("store_revision has no row; the database was not migrated");
        }
        return rows.getLong(1);
      }
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
