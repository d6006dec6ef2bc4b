package dev.portcullis.store.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/** A migrated SQLite file behind a pool set up as {@code Storage} sets it up, for tests of the internals. */
final class SqliteFile implements AutoCloseable {
  final HikariDataSource pool;

  SqliteFile(Path dir, int poolSize) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setGetGeneratedKeys(false);
    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(new StatementCachingDataSource(config, dir.resolve("test.db")));
    hikari.setMaximumPoolSize(poolSize);
    pool = new HikariDataSource(hikari);
    Migrations.sqlite(pool);
  }

  /** The keys in store_items, in key order, read on a connection of its own. */
  List<String> keys() throws SQLException {
    try (var connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT key FROM store_items ORDER BY key")) {
      List<String> keys = new ArrayList<>();
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
      return keys;
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
