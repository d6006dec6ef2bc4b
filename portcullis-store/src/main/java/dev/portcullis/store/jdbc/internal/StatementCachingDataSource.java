package dev.portcullis.store.jdbc.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/** Opens connections to one SQLite file that keep their prepared statements ({@link StatementCachingConnection}). */
public final class StatementCachingDataSource extends SQLiteDataSource {
  private final Path file;

  /**
   * @param config the driver's settings, applied to every connection as it opens
   * @param file the database file
   */
  public StatementCachingDataSource(SQLiteConfig config, Path file) {
    super(config);
    this.file = file.toAbsolutePath();
    setUrl("jdbc:sqlite:" + this.file);
  }

  /** A new connection; SQLite has no users, so the credentials are ignored. */
  @Override
  public SQLiteConnection getConnection(String username, String password) throws SQLException {
    return new StatementCachingConnection(getUrl(), file.toString(), getConfig().toProperties());
  }
}
