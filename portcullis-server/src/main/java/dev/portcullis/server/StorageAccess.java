package dev.portcullis.server;

import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.config.StorageConfig;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import java.time.InstantSource;

/** Opens the storage backend the configuration names. */
public final class StorageAccess {
  private StorageAccess() {}

  public static Storage open(PortcullisConfig config, InstantSource clock) {
    StorageConfig storage = config.storage();
    return Storage.open(switch (storage.type()) {
      case SQLITE -> new StorageSettings.Sqlite(config.server().dataDir(), clock);
      case POSTGRES -> new StorageSettings.Postgres(
          storage.url().orElseThrow(), storage.username().orElse(""),
          storage.password().map(secret -> secret.value()).orElse(""), clock);
    });
  }
}
