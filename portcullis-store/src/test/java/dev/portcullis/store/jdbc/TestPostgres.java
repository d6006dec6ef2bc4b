package dev.portcullis.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for the tests, named by the environment, with one throwaway schema per test.
 * Without the environment the tests are skipped, except in CI ({@code CI=true} or {@code
 * -Dportcullis.ci=true}), where they fail: a backend that CI does not test must never look green.
 */
final class TestPostgres {
  static final String URL = "PORTCULLIS_TEST_POSTGRES_URL";
  static final String USER = "PORTCULLIS_TEST_POSTGRES_USER";
  static final String PASSWORD = "PORTCULLIS_TEST_POSTGRES_PASSWORD";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String url;
  private final String user;
  private final String password;
  private String schema;

  private TestPostgres(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The database from the environment, or a skipped (outside CI) or failed (in CI) test. */
  static TestPostgres fromEnvironment() {
    String url = System.getenv(URL);
    if (url == null || url.isBlank()) {
      String message =
          URL + " is not set, so the PostgreSQL tests cannot run. Start a throwaway PostgreSQL"
              + " and set " + URL + ", " + USER + " and " + PASSWORD + " with:"
              + " eval \"$(.ci/postgres.sh)\"";
      if ("true".equals(System.getenv("CI")) || Boolean.getBoolean("portcullis.ci")) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return new TestPostgres(
        url, orEmpty(System.getenv(USER)), orEmpty(System.getenv(PASSWORD)));
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  /** Settings for storage in this test's schema, created on first use. */
  StorageSettings.Postgres settings(InstantSource clock) {
    if (schema == null) {
      String name = "pc_test_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
      execute(url, "CREATE SCHEMA " + name);
      schema = name;
    }
    String separator = url.contains("?") ? "&" : "?";
    return StorageSettings.postgres(url + separator + "currentSchema=" + schema, user, password, clock);
  }

  /** Drops this test's schema and everything in it. */
  void dropSchema() {
    if (schema != null) {
      execute(url, "DROP SCHEMA " + schema + " CASCADE");
      schema = null;
    }
  }

  /** Runs one statement on a connection of its own, outside any pool. */
  void execute(String sql) {
    execute(url, sql);
  }

  /** Runs one query that returns a single value, as text. */
  String query(String sql) {
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("test database query failed: " + sql, e);
    }
  }

  private void execute(String jdbcUrl, String sql) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test database statement failed: " + sql, e);
    }
  }
}
