package dev.portcullis.store.jdbc;

import java.time.InstantSource;
import java.util.List;

class PostgresAuditStoreTest extends AuditStoreContract {
  private TestPostgres postgres;

  @Override
  protected Storage openStorage(InstantSource clock) {
    if (postgres == null) {
      postgres = TestPostgres.fromEnvironment();
    }
    return Storage.open(postgres.settings(clock));
  }

  @Override
  protected void discardStorage() {
    if (postgres != null) {
      postgres.dropSchema();
    }
  }

  @Override
  protected List<String> disableAppendOnlyGuards() {
    return List.of("ALTER TABLE audit_events DISABLE TRIGGER USER");
  }
}
