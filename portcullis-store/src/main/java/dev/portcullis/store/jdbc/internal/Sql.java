package dev.portcullis.store.jdbc.internal;

import dev.portcullis.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs JDBC work on a pooled connection and turns {@link SQLException} into {@link StoreException}. */
public final class Sql {
  private Sql() {}

  /** JDBC work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Work with one prepared statement. */
  @FunctionalInterface
  public interface StatementWork<T> {
    T run(PreparedStatement statement) throws SQLException;
  }

  /**
   * Runs {@code work} with {@code sql} prepared on {@code connection}: reused when the connection keeps
   * its statements ({@link StatementCachingConnection}, SQLite), else prepared now and closed after (the
   * PostgreSQL driver caches server-side prepares by itself). The work must close any result set it opens.
   */
  public static <T> T prepared(Connection connection, String sql, StatementWork<T> work)
      throws SQLException {
    if (connection.isWrapperFor(StatementCachingConnection.class)) {
      return connection.unwrap(StatementCachingConnection.class).run(sql, work);
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      return work.run(statement);
    }
  }

  /** Runs {@code work} with auto-commit on: each statement is its own transaction. */
  public static <T> T autoCommit(DataSource dataSource, String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. */
  public static <T> T transaction(DataSource dataSource, String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(connection, e);
        throw e;
      }
      // The pool puts auto-commit back when the connection returns to it.
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * The exception callers see. Driver messages carry no row values: the PostgreSQL driver is told not
   * to include server error details, which can quote keys.
   */
  public static StoreException failure(String what, SQLException e) {
    return new StoreException(what + " failed: " + e.getMessage(), e);
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }
}
