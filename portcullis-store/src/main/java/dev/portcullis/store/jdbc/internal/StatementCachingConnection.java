package dev.portcullis.store.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.sqlite.jdbc4.JDBC4Connection;

/**
 * A SQLite connection that keeps its prepared statements, so that SQL the store runs again and again is
 * compiled once per connection instead of on every call. Neither sqlite-jdbc nor HikariCP caches
 * statements, and statements made through a pool's proxy are closed when the connection goes back, so
 * the cache lives on the physical connection and is reached with {@code unwrap}; closing the connection
 * closes its statements.
 */
public final class StatementCachingConnection extends JDBC4Connection {
  /** Enough for every fixed statement of the store and the audit log; the least recently used goes. */
  static final int MAX_CACHED = 64;

  private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(32, 0.75f, true);

  /**
   * @param url the JDBC URL, {@code jdbc:sqlite:} and the file
   * @param fileName the database file
   * @param properties the driver's settings ({@link org.sqlite.SQLiteConfig#toProperties()})
   */
  public StatementCachingConnection(String url, String fileName, Properties properties) throws SQLException {
    super(url, fileName, properties);
  }

  /**
   * Runs {@code work} with {@code sql} prepared on this connection, reusing the statement of an earlier
   * call. The work must close any result set it opens, since the statement stays open; a statement whose
   * work failed is closed and prepared afresh next time.
   */
  synchronized <T> T run(String sql, Sql.StatementWork<T> work) throws SQLException {
    PreparedStatement statement = cache.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = prepareStatement(sql);
      cache.put(sql, statement);
      trim();
    }
    try {
      return work.run(statement);
    } catch (SQLException | RuntimeException | Error e) {
      cache.remove(sql);
      closeQuietly(statement, e);
      throw e;
    }
  }

  /** How many statements are kept now; for tests. */
  synchronized int cached() {
    return cache.size();
  }

  @Override
  public void close() throws SQLException {
    synchronized (this) {
      for (PreparedStatement statement : cache.values()) {
        closeQuietly(statement, null);
      }
      cache.clear();
    }
    super.close();
  }

  private void trim() {
    Iterator<PreparedStatement> eldest = cache.values().iterator();
    while (cache.size() > MAX_CACHED) {
      closeQuietly(eldest.next(), null);
      eldest.remove();
    }
  }

  private static void closeQuietly(PreparedStatement statement, Throwable cause) {
    try {
      statement.close();
    } catch (SQLException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }
}
