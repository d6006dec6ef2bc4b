package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreEvent;
import dev.portcullis.store.StoreKeys;
import dev.portcullis.store.StoreWrite;
import dev.portcullis.store.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The {@link Store} operations in the SQL that SQLite and PostgreSQL share; subclasses decide how a
 * write transaction runs, where revisions come from and how watches learn of commits.
 */
public abstract class JdbcStore implements Store {
  private static final String LIVE = "(expires_at IS NULL OR expires_at > ?)";
  private static final String COLUMNS = "key, value, revision, expires_at";
  private static final String UPSERT =
      "INSERT INTO store_items (key, value, revision, expires_at) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
          + " revision = excluded.revision, expires_at = excluded.expires_at";
  // Every statement is a constant, so that connections that keep their statements reuse them.
  private static final String GET =
      "SELECT " + COLUMNS + " FROM store_items WHERE key = ? AND " + LIVE;
  private static final String RANGE_FROM =
      "SELECT " + COLUMNS + " FROM store_items WHERE key >= ? AND " + LIVE + " ORDER BY key LIMIT ?";
  private static final String RANGE_TO =
      "SELECT " + COLUMNS + " FROM store_items WHERE key >= ? AND key < ? AND " + LIVE
          + " ORDER BY key LIMIT ?";
  private static final String CREATE =
      UPSERT + " WHERE store_items.expires_at IS NOT NULL AND store_items.expires_at <= ?";
  private static final String SWAP =
      "UPDATE store_items SET value = ?, revision = ?, expires_at = ?"
          + " WHERE key = ? AND revision = ? AND " + LIVE;
  private static final String DELETE = "DELETE FROM store_items WHERE key = ? AND " + LIVE;
  private static final String TAKE =
      "DELETE FROM store_items WHERE key = ? AND " + LIVE + " RETURNING " + COLUMNS;
  private static final String DELETE_EXPIRED =
      "DELETE FROM store_items WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING key";

  protected final DataSource dataSource;
  protected final InstantSource clock;
  protected final Watchers watchers = new Watchers();
  private volatile boolean closed;

  protected JdbcStore(DataSource dataSource, InstantSource clock) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.clock = requireNonNull(clock, "clock");
  }

  /** One write transaction: its connection, its revisions and the events to announce on commit. */
  protected interface Tx {
    Connection connection();

    long nextRevision() throws SQLException;

    void emit(StoreEvent event);
  }

  /** Work inside a write transaction. */
  @FunctionalInterface
  protected interface TxWork<T> {
    T run(Tx tx) throws SQLException;
  }

  /** Runs {@code work} in a write transaction and makes its events visible to watches once committed. */
  protected abstract <T> T write(String what, TxWork<T> work);

  @Override
  public Optional<Item> get(String key) {
    StoreKeys.requireValid(key);
    ensureOpen();
    return Sql.autoCommit(dataSource, "store get", c -> read(c, key, now()));
  }

  /** Reads the live item under {@code key} on {@code connection}. */
  static Optional<Item> read(Connection connection, String key, long nowMillis) throws SQLException {
    return Sql.prepared(connection, GET, statement -> {
      statement.setString(1, key);
      statement.setLong(2, nowMillis);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(item(rows)) : Optional.empty();
      }
    });
  }

  @Override
  public List<Item> range(String prefix, int limit) {
    StoreKeys.requireValidPrefix(prefix);
    StoreKeys.requireValidLimit(limit);
    ensureOpen();
    Optional<String> end = KeyRange.end(prefix);
    return Sql.autoCommit(
        dataSource,
        "store range",
        c -> Sql.prepared(c, end.isPresent() ? RANGE_TO : RANGE_FROM, statement -> {
          int index = 1;
          statement.setString(index++, prefix);
          if (end.isPresent()) {
            statement.setString(index++, end.get());
          }
          statement.setLong(index++, now());
          statement.setInt(index, limit);
          List<Item> items = new ArrayList<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              items.add(item(rows));
            }
          }
          return List.copyOf(items);
        }));
  }

  @Override
  public Item put(String key, byte[] value, Optional<Instant> expires) {
    Write write = checked(key, value, expires);
    return write("store put", tx -> put(tx, write));
  }

  @Override
  public Optional<Item> create(String key, byte[] value, Optional<Instant> expires) {
    Write write = checked(key, value, expires);
    long now = now();
    return write("store create", tx -> create(tx, write, now));
  }

  @Override
  public Optional<Item> compareAndSwap(
      String key, long expectedRevision, byte[] value, Optional<Instant> expires) {
    Write write = checked(key, value, expires);
    long now = now();
    return write("store compare-and-swap", tx -> compareAndSwap(tx, write, expectedRevision, now));
  }

  @Override
  public boolean delete(String key) {
    StoreKeys.requireValid(key);
    ensureOpen();
    long now = now();
    return write("store delete", tx -> delete(tx, key, now));
  }

  @Override
  public Optional<List<Item>> apply(List<StoreWrite> writes) {
    List<StoreWrite> batch = StoreWrite.requireValidBatch(writes);
    // Values are copied and expiries checked before the transaction, as the single-key methods do.
    List<Write> checked = new ArrayList<>(batch.size());
    for (StoreWrite write : batch) {
      checked.add(write instanceof StoreWrite.WithValue stored
          ? checked(stored.key(), stored.value(), stored.expires()) : null);
    }
    ensureOpen();
    long now = now();
    try {
      return Optional.of(write("store apply", tx -> {
        List<Item> items = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          Write write = checked.get(i);
          switch (batch.get(i)) {
            case StoreWrite.Put put -> items.add(put(tx, write));
            case StoreWrite.Create create -> items.add(create(tx, write, now).orElseThrow(Refused::new));
            case StoreWrite.CompareAndSwap swap ->
                items.add(compareAndSwap(tx, write, swap.expectedRevision(), now).orElseThrow(Refused::new));
            case StoreWrite.Delete delete -> delete(tx, delete.key(), now);
          }
        }
        return List.copyOf(items);
      }));
    } catch (Refused refused) {
      // Thrown inside the transaction, it rolled back this batch and no other, and dropped its events.
      return Optional.empty();
    }
  }

  /** A batch write found its key taken or changed; unwinds the batch's transaction. */
  private static final class Refused extends RuntimeException {
    Refused() {
      super("store batch refused", null, false, false);
    }
  }

  private static Item put(Tx tx, Write write) throws SQLException {
    Item item = write.item(tx.nextRevision());
    Sql.prepared(tx.connection(), UPSERT, statement -> {
      bindItem(statement, item);
      return statement.executeUpdate();
    });
    tx.emit(new StoreEvent.Put(item));
    return item;
  }

  private static Optional<Item> create(Tx tx, Write write, long now) throws SQLException {
    Item item = write.item(tx.nextRevision());
    // An expired item under the key counts as absent, so it may be replaced.
    int written = Sql.prepared(tx.connection(), CREATE, statement -> {
      bindItem(statement, item);
      statement.setLong(5, now);
      return statement.executeUpdate();
    });
    if (written == 0) {
      return Optional.empty();
    }
    tx.emit(new StoreEvent.Put(item));
    return Optional.of(item);
  }

  private static Optional<Item> compareAndSwap(Tx tx, Write write, long expectedRevision, long now)
      throws SQLException {
    Item item = write.item(tx.nextRevision());
    int written = Sql.prepared(tx.connection(), SWAP, statement -> {
      statement.setBytes(1, write.value());
      statement.setLong(2, item.revision());
      bindExpiry(statement, 3, item.expires());
      statement.setString(4, write.key());
      statement.setLong(5, expectedRevision);
      statement.setLong(6, now);
      return statement.executeUpdate();
    });
    if (written == 0) {
      return Optional.empty();
    }
    tx.emit(new StoreEvent.Put(item));
    return Optional.of(item);
  }

  private static boolean delete(Tx tx, String key, long now) throws SQLException {
    int deleted = Sql.prepared(tx.connection(), DELETE, statement -> {
      statement.setString(1, key);
      statement.setLong(2, now);
      return statement.executeUpdate();
    });
    if (deleted == 0) {
      return false;
    }
    tx.emit(new StoreEvent.Delete(key));
    return true;
  }

  @Override
  public Optional<Item> take(String key) {
    StoreKeys.requireValid(key);
    ensureOpen();
    long now = now();
    return write(
        "store take",
        tx -> {
          // One statement both reads and deletes, so of concurrent takes only one sees the row.
          Optional<Item> taken = Sql.prepared(tx.connection(), TAKE, statement -> {
            statement.setString(1, key);
            statement.setLong(2, now);
            try (ResultSet rows = statement.executeQuery()) {
              return rows.next() ? Optional.of(item(rows)) : Optional.<Item>empty();
            }
          });
          taken.ifPresent(item -> tx.emit(new StoreEvent.Delete(key)));
          return taken;
        });
  }

  @Override
  public int deleteExpired() {
    ensureOpen();
    long now = now();
    return write(
        "store delete-expired",
        tx -> Sql.prepared(tx.connection(), DELETE_EXPIRED, statement -> {
          statement.setLong(1, now);
          int deleted = 0;
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              tx.emit(new StoreEvent.Delete(rows.getString(1)));
              deleted++;
            }
          }
          return deleted;
        }));
  }

  @Override
  public Subscription watch(String prefix, Consumer<StoreEvent> listener) {
    ensureOpen();
    return watchers.add(prefix, listener);
  }

  @Override
  public void close() {
    closed = true;
    watchers.clear();
  }

  protected final void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  protected final long now() {
    return clock.instant().toEpochMilli();
  }

  /** The validated parts of a write, before the transaction gives it a revision. */
  private record Write(String key, byte[] value, Optional<Instant> expires) {
    Item item(long revision) {
      return new Item(key, value, revision, expires);
    }
  }

  private Write checked(String key, byte[] value, Optional<Instant> expires) {
    StoreKeys.requireValid(key);
    requireNonNull(value, "value");
    requireNonNull(expires, "expires");
    ensureOpen();
    return new Write(key, value.clone(), Times.storedExpiry(expires));
  }

  private static void bindItem(PreparedStatement statement, Item item) throws SQLException {
    statement.setString(1, item.key());
    statement.setBytes(2, item.value());
    statement.setLong(3, item.revision());
    bindExpiry(statement, 4, item.expires());
  }

  private static void bindExpiry(PreparedStatement statement, int index, Optional<Instant> expires)
      throws SQLException {
    if (expires.isPresent()) {
      statement.setLong(index, expires.get().toEpochMilli());
    } else {
      statement.setNull(index, Types.BIGINT);
    }
  }

  private static Item item(ResultSet rows) throws SQLException {
    long expiresAt = rows.getLong(4);
    Optional<Instant> expires =
        rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiresAt));
    return new Item(rows.getString(1), rows.getBytes(2), rows.getLong(3), expires);
  }
}
