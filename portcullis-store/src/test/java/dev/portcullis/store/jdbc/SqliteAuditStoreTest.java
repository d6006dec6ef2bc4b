package dev.portcullis.store.jdbc;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditStoreTest extends AuditStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Storage openStorage(InstantSource clock) {
    return Storage.open(StorageSettings.sqlite(dataDir, clock));
  }

  @Override
  protected List<String> disableAppendOnlyGuards() {
    return List.of(
        "DROP TRIGGER IF EXISTS audit_events_no_update",
        "DROP TRIGGER IF EXISTS audit_events_no_delete");
  }
}
