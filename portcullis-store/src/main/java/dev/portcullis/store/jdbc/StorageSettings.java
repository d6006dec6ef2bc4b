package dev.portcullis.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.InstantSource;

/** Where {@link Storage} keeps its data: an embedded SQLite file, or a PostgreSQL database. */
public sealed interface StorageSettings {

  /** The clock that judges item expiry. */
  InstantSource clock();

  /** SQLite in {@code <dataDir>/portcullis.db}; the directory is created when missing. */
  static Sqlite sqlite(Path dataDir, InstantSource clock) {
    return new Sqlite(dataDir, clock);
  }

  /** PostgreSQL at {@code jdbcUrl}, for example {@code jdbc:postgresql://db:5432/portcullis}. */
  static Postgres postgres(String jdbcUrl, String username, String password, InstantSource clock) {
    return new Postgres(jdbcUrl, username, password, clock);
  }

  /**
   * The embedded default: one SQLite file that this process alone owns.
   *
   * @param dataDir the data directory
   * @param clock judges expiry
   */
  record Sqlite(Path dataDir, InstantSource clock) implements StorageSettings {
    public Sqlite {
      requireNonNull(dataDir, "dataDir");
      requireNonNull(clock, "clock");
    }

    /** The database file. */
    public Path databaseFile() {
      return dataDir.resolve("portcullis.db");
    }
  }

  /**
   * A PostgreSQL database shared by every replica. The tables go in the connection's current schema
   * (set it with {@code currentSchema} in the URL), which must exist.
   *
   * @param jdbcUrl a {@code jdbc:postgresql:} URL
   * @param username the database role
   * @param password its password; may be empty when the server authenticates otherwise
   * @param clock judges expiry
   */
  record Postgres(String jdbcUrl, String username, String password, InstantSource clock)
      implements StorageSettings {
    private static final String PREFIX = "jdbc:postgresql:";

    public Postgres {
      requireNonNull(jdbcUrl, "jdbcUrl");
      requireNonNull(username, "username");
      requireNonNull(password, "password");
      requireNonNull(clock, "clock");
      if (!jdbcUrl.startsWith(PREFIX)) {
        throw new IllegalArgumentException(
            "jdbcUrl: a URL of another scheme (expected: a URL starting with " + PREFIX + ")");
      }
      if (username.isBlank()) {
        throw new IllegalArgumentException("username: blank (expected: a database role)");
      }
    }

    /** The URL without its parameters and any user information, safe to log. */
    public String redactedUrl() {
      return redact(jdbcUrl);
    }

    @Override
    public String toString() {
      return "Postgres[jdbcUrl=" + redactedUrl() + ", username=" + username
          + ", password=<redacted>, clock=" + clock + "]";
    }

    // Parameters can carry password= or sslpassword=, and user:password@ may precede the host.
    private static String redact(String url) {
      int query = url.indexOf('?');
      String base = query < 0 ? url : url.substring(0, query);
      int at = base.lastIndexOf('@');
      if (at < 0) {
        return base;
      }
      int hostStart = base.indexOf("//");
      return (hostStart >= 0 ? base.substring(0, hostStart + 2) : PREFIX) + base.substring(at + 1);
    }
  }
}
