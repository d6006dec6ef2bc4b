package dev.portcullis.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.portcullis.config.internal.Check;
import java.util.Optional;

/**
 * The {@code storage} section: the embedded SQLite database in the data directory (default) or a
 * shared PostgreSQL database.
 *
 * @param type {@code sqlite} (default) or {@code postgres}
 * @param url the JDBC URL, required for PostgreSQL and ignored for SQLite
 * @param username the database user, if the URL does not carry it
 * @param password the database password
 */
public record StorageConfig(Type type, Optional<String> url, Optional<String> username, Optional<Secret> password) {
  /** SQLite in the data directory. */
  public static final StorageConfig DEFAULT =
      new StorageConfig(Type.SQLITE, Optional.empty(), Optional.empty(), Optional.empty());
  private static final String POSTGRES_URL = "jdbc:postgresql://host[:port]/database";

  /** The storage back-ends. */
  public enum Type {
    @JsonProperty("sqlite") SQLITE,
    @JsonProperty("postgres") POSTGRES
  }

  public StorageConfig {
    type = type == null ? Type.SQLITE : type;
    url = url == null ? Optional.empty() : url;
    username = username == null ? Optional.empty() : username;
    password = password == null ? Optional.empty() : password;
    if (type == Type.POSTGRES) {
      String value = Check.required(url.orElse(null), "url", POSTGRES_URL);
      // The URL may carry credentials, so the message does not repeat it.
      Check.that(value.startsWith("jdbc:postgresql://"), "url",
          () -> "is not a PostgreSQL JDBC URL (expected: " + POSTGRES_URL + ")");
    }
  }

  @Override
  public String toString() {
    return "StorageConfig[type=" + type + ", url=" + (url.isPresent() ? "<set>" : "<none>")
        + ", username=" + username.orElse("<none>") + ", password=" + password + "]";
  }
}
