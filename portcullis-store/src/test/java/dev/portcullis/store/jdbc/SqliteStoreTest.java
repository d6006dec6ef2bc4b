package dev.portcullis.store.jdbc;

import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
  @TempDir Path dataDir;

  @Override
  protected Storage openStorage(InstantSource clock) {
    return Storage.open(StorageSettings.sqlite(dataDir, clock));
  }
}
