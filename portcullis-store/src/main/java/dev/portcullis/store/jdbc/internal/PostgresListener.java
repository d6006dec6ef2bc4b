package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.store.StoreEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that LISTENs on the store's channel and turns each notification into a watch
 * event, re-reading the item so that notifications stay small. When the connection drops it
 * reconnects with backoff and listens again.
 */
final class PostgresListener implements AutoCloseable {
  static final String CHANNEL = "portcullis_store";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresListener.class);
  private static final int POLL_MILLIS = 250;
  private static final long PING_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final DataSource source;
  private final String schema;
  private final Watchers watchers;
  private final LongSupplier nowMillis;
  private final Thread thread;
  private volatile boolean closed;

  PostgresListener(DataSource source, String schema, Watchers watchers, LongSupplier nowMillis) {
    this.source = requireNonNull(source, "source");
    this.schema = requireNonNull(schema, "schema");
    this.watchers = requireNonNull(watchers, "watchers");
    this.nowMillis = requireNonNull(nowMillis, "nowMillis");
    Connection first;
    try {
      first = connect();
    } catch (SQLException e) {
      throw Sql.failure("store listener connect", e);
    }
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("portcullis-store-listener")
            .start(() -> run(first));
  }

  private Connection connect() throws SQLException {
    Connection connection = source.getConnection();
    try (Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute("LISTEN " + CHANNEL);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private void run(Connection first) {
    Connection connection = first;
    long backoff = FIRST_BACKOFF_MILLIS;
    long lastActivity = System.nanoTime();
    while (!closed) {
      try {
        if (connection == null) {
          connection = connect();
          backoff = FIRST_BACKOFF_MILLIS;
          LOG.info("Store listener reconnected; changes made while it was away were not announced");
        }
        PGNotification[] notifications =
            connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
        if (notifications != null && notifications.length > 0) {
          for (PGNotification notification : notifications) {
            deliver(connection, notification);
          }
          lastActivity = System.nanoTime();
        } else if (System.nanoTime() - lastActivity > PING_AFTER_IDLE_NANOS) {
          // A quiet connection may be a dead one: a round trip finds out.
          try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
          }
          lastActivity = System.nanoTime();
        }
      } catch (SQLException e) {
        if (closed) {
          break;
        }
        LOG.warn("Store listener connection lost ({}); reconnecting in {} ms", e.getMessage(), backoff);
        closeQuietly(connection);
        connection = null;
        if (!sleep(backoff)) {
          break;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
    closeQuietly(connection);
  }

  private void deliver(Connection connection, PGNotification notification) throws SQLException {
    if (!CHANNEL.equals(notification.getName())) {
      return;
    }
    // op \n revision \n key \n schema, as written by the store_items_notify trigger.
    String[] parts = notification.getParameter().split("\n", 4);
    if (parts.length != 4 || !parts[3].equals(schema) || !watchers.interestedIn(parts[2])) {
      return;
    }
    String key = parts[2];
    try {
      switch (parts[0]) {
        case "D" -> watchers.publish(new StoreEvent.Delete(key));
        case "P" -> {
          long revision = Long.parseLong(parts[1]);
          // A newer revision has its own notification still to come; an absent item was deleted
          // (its notification follows) or has already expired.
          JdbcStore.read(connection, key, nowMillis.getAsLong())
              .filter(item -> item.revision() == revision)
              .ifPresent(item -> watchers.publish(new StoreEvent.Put(item)));
        }
        default -> LOG.warn("Store listener ignored a notification with operation '{}'", parts[0]);
      }
    } catch (RuntimeException e) {
      LOG.warn("Store listener ignored a notification it could not handle", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Closing the store listener connection failed", e);
    }
  }
}
