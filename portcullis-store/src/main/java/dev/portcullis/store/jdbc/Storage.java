package dev.portcullis.store.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreException;
import dev.portcullis.store.jdbc.internal.Migrations;
import dev.portcullis.store.jdbc.internal.PostgresAuditStore;
import dev.portcullis.store.jdbc.internal.PostgresStore;
import dev.portcullis.store.jdbc.internal.Sql;
import dev.portcullis.store.jdbc.internal.SqliteAuditStore;
import dev.portcullis.store.jdbc.internal.SqliteStore;
import dev.portcullis.store.jdbc.internal.SqliteWriter;
import dev.portcullis.store.jdbc.internal.StatementCachingDataSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * An open storage backend: the {@link Store} and the {@link AuditStore}, sharing one connection pool.
 * {@link #open} migrates the tables first; {@link #close()} stops watches and closes the pool.
 */
public final class Storage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
  private static final int SQLITE_POOL_SIZE = 4;
  private static final int POSTGRES_POOL_SIZE = 10;
  private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;
  private static final int POSTGRES_CONNECT_TIMEOUT_SECONDS = 10;
  private static final int POSTGRES_SOCKET_TIMEOUT_SECONDS = 60;

  private final Store store;
  private final AuditStore audit;
  private final HikariDataSource pool;

  private Storage(Store store, AuditStore audit, HikariDataSource pool) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
  }

  /**
   * Opens the backend the settings name and brings its tables up to date.
   *
   * @throws StoreException when the database cannot be reached, opened or migrated
   */
  public static Storage open(StorageSettings settings) {
    requireNonNull(settings, "settings");
    return switch (settings) {
      case StorageSettings.Sqlite sqlite -> openSqlite(sqlite);
      case StorageSettings.Postgres postgres -> openPostgres(postgres);
    };
  }

  /** Keyed items with revisions, expiry and watches. */
  public Store store() {
    return store;
  }

  /** The hash-chained audit log. */
  public AuditStore audit() {
    return audit;
  }

  /** The shared pool, for tests that inspect the database directly. */
  DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      pool.close();
    }
  }

  private static Storage openSqlite(StorageSettings.Sqlite settings) {
    Path file = createPrivateFile(settings);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL syncs the WAL on every commit: an acknowledged write survives a crash or power loss.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
    // Writers take the write lock when they begin, so a transaction never fails to upgrade later.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // Nothing reads generated keys, and fetching them costs every INSERT a second statement
    // (SELECT last_insert_rowid(), prepared afresh each time; xerial/sqlite-jdbc#1135).
    config.setGetGeneratedKeys(false);
    // Connections keep their prepared statements: neither the driver nor the pool caches them.
    HikariDataSource pool =
        pool("portcullis-sqlite", new StatementCachingDataSource(config, file), SQLITE_POOL_SIZE);
    try {
      Migrations.sqlite(pool);
      // One writer for the file: the store's and the audit log's writes take turns and share commits.
      SqliteWriter writer = new SqliteWriter(pool);
      Storage storage =
          new Storage(
              new SqliteStore(pool, writer, settings.clock()),
              new SqliteAuditStore(pool, writer),
              pool);
      LOG.info("Opened SQLite storage at {}", file);
      return storage;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static Storage openPostgres(StorageSettings.Postgres settings) {
    HikariDataSource pool =
        pool("portcullis-postgres", postgresSource(settings, "portcullis"), POSTGRES_POOL_SIZE);
    try {
      String schema = currentSchema(pool, settings);
      Migrations.postgres(pool, schema);
      PostgresStore store =
          new PostgresStore(
              pool, postgresSource(settings, "portcullis-listener"), schema, settings.clock());
      LOG.info("Opened PostgreSQL storage at {} in schema {}", settings.redactedUrl(), schema);
      return new Storage(store, new PostgresAuditStore(pool), pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static PGSimpleDataSource postgresSource(
      StorageSettings.Postgres settings, String applicationName) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(settings.jdbcUrl());
    source.setUser(settings.username());
    source.setPassword(settings.password());
    source.setApplicationName(applicationName);
    // Server error details quote row values (keys can embed session handles): keep them out of
    // exception messages and so out of logs.
    source.setLogServerErrorDetail(false);
    source.setTcpKeepAlive(true);
    source.setConnectTimeout(POSTGRES_CONNECT_TIMEOUT_SECONDS);
    source.setSocketTimeout(POSTGRES_SOCKET_TIMEOUT_SECONDS);
    return source;
  }

  private static String currentSchema(DataSource pool, StorageSettings.Postgres settings) {
    String schema =
        Sql.autoCommit(
            pool,
            "reading the current schema",
            connection -> {
              try (PreparedStatement statement =
                      connection.prepareStatement("SELECT current_schema()");
                  ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
              }
            });
    if (schema == null) {
      throw new StoreException(
          "PostgreSQL at " + settings.redactedUrl() + " has no existing schema on its search path"
              + " (expected: create the schema, or name an existing one with currentSchema in the URL)");
    }
    return schema;
  }

  private static HikariDataSource pool(String name, DataSource source, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setDataSource(source);
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(10_000);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("opening the " + name + " connection pool failed: " + e.getMessage(), e);
    }
  }

  /**
   * Creates the data directory and an empty database file readable by this user only, since the file
   * holds sessions and tokens; SQLite gives its WAL and shared-memory files the same permissions.
   */
  private static Path createPrivateFile(StorageSettings.Sqlite settings) {
    Path file = settings.databaseFile();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      if (posix) {
        if (!Files.isDirectory(settings.dataDir())) {
          Files.createDirectories(
              settings.dataDir(),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createFile(
            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createDirectories(settings.dataDir());
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException existing) {
      // Opened before: keep the file and whatever permissions its owner gave it.
    } catch (IOException e) {
      throw new StoreException("creating the database file " + file + " failed: " + e.getMessage(), e);
    }
    return file;
  }
}
