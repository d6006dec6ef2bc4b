package dev.portcullis.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded backend promises beyond the contract: where its file is and how it syncs. */
class SqliteStorageTest {
  @TempDir Path tempDir;

  @Test
  void keepsEverythingInOnePrivateFileInTheDataDirectory() throws Exception {
    Path dataDir = tempDir.resolve("data/portcullis");

    try (Storage storage =
        Storage.open(StorageSettings.sqlite(dataDir, new MutableClock(Instant.EPOCH)))) {
      storage.store().put("k", new byte[] {1}, Optional.empty());
    }

    Path file = dataDir.resolve("portcullis.db");
    assertThat(file).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
        .isEqualTo("rwx------");
  }

  @Test
  void everyPooledConnectionUsesTheWriteAheadLogWithFullSync() throws Exception {
    try (Storage storage =
        Storage.open(StorageSettings.sqlite(tempDir, new MutableClock(Instant.EPOCH)))) {
      // Hold several connections at once so that more than one pooled connection is checked.
      Connection[] connections = new Connection[3];
      try {
        for (int i = 0; i < connections.length; i++) {
          connections[i] = storage.dataSource().getConnection();
          assertThat(pragma(connections[i], "journal_mode")).isEqualTo("wal");
          assertThat(pragma(connections[i], "synchronous")).as("2 is FULL").isEqualTo("2");
          assertThat(pragma(connections[i], "busy_timeout")).isEqualTo("10000");
        }
      } finally {
        for (Connection connection : connections) {
          if (connection != null) {
            connection.close();
          }
        }
      }
    }
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
