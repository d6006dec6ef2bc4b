package dev.portcullis.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepared statements kept on pooled SQLite connections: reused across borrows, never stale, closed with them. */
class StatementCachingConnectionTest {
  private static final String COUNT = "SELECT count(*) FROM store_items";

  @TempDir Path dir;
  SqliteFile file;

  @AfterEach
  void close() {
    if (file != null) {
      file.close();
    }
  }

  @Test
  void aStatementIsPreparedOnceAndOutlivesGoingBackToThePool() throws Exception {
    file = new SqliteFile(dir, 1);
    PreparedStatement first = statementFor(COUNT);
    PreparedStatement second = statementFor(COUNT);

    assertThat(second).isSameAs(first);
    assertThat(first.isClosed()).as("the pool does not close it").isFalse();
    assertThat(statementFor("SELECT 1")).isNotSameAs(first);
  }

  @Test
  void aReusedQuerySeesWhatWasCommittedSinceItsLastRun() throws Exception {
    file = new SqliteFile(dir, 2);
    try (Connection reader = file.pool.getConnection()) {
      assertThat(JdbcStore.read(reader, "k", 0)).isEmpty();
      try (Connection writer = file.pool.getConnection();
          PreparedStatement insert = writer.prepareStatement(
              "INSERT INTO store_items (key, value, revision) VALUES ('k', x'01', 7)")) {
        insert.executeUpdate();
      }
      // A statement left unreset would keep its read snapshot and still see nothing.
      assertThat(JdbcStore.read(reader, "k", 0)).get().extracting(item -> item.revision()).isEqualTo(7L);
    }
  }

  @Test
  void closingTheConnectionClosesItsStatements() throws Exception {
    file = new SqliteFile(dir, 1);
    PreparedStatement statement = statementFor(COUNT);
    StatementCachingConnection physical;
    try (Connection connection = file.pool.getConnection()) {
      physical = connection.unwrap(StatementCachingConnection.class);
    }
    file.close();
    file = null;

    assertThat(physical.isClosed()).isTrue();
    assertThat(statement.isClosed()).isTrue();
  }

  @Test
  void aStatementWhoseWorkFailedIsPreparedAfresh() throws Exception {
    file = new SqliteFile(dir, 1);
    PreparedStatement before = statementFor(COUNT);
    try (Connection connection = file.pool.getConnection()) {
      Optional<SQLException> failure = Optional.empty();
      try {
        Sql.prepared(connection, COUNT, statement -> {
          throw new SQLException("the work failed");
        });
      } catch (SQLException e) {
        failure = Optional.of(e);
      }
      assertThat(failure).isPresent();
    }
    assertThat(before.isClosed()).isTrue();
    assertThat(statementFor(COUNT)).isNotSameAs(before);
  }

  @Test
  void keepsAtMostABoundedNumberOfStatements() throws Exception {
    file = new SqliteFile(dir, 1);
    List<PreparedStatement> statements = new ArrayList<>();
    for (int i = 0; i <= StatementCachingConnection.MAX_CACHED; i++) {
      statements.add(statementFor("SELECT " + i));
    }
    try (Connection connection = file.pool.getConnection()) {
      assertThat(connection.unwrap(StatementCachingConnection.class).cached())
          .isEqualTo(StatementCachingConnection.MAX_CACHED);
    }
    assertThat(statements.getFirst().isClosed()).as("the least recently used went").isTrue();
    assertThat(statements.getLast().isClosed()).isFalse();
  }

  /** Borrows a connection, runs {@code sql} through the cache and gives the connection back. */
  private PreparedStatement statementFor(String sql) throws SQLException {
    try (Connection connection = file.pool.getConnection()) {
      return Sql.prepared(connection, sql, statement -> {
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
        }
        return statement;
      });
    }
  }
}
