package dev.portcullis.store.jdbc;

import java.time.InstantSource;

class PostgresStoreTest extends StoreContract {
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
}
