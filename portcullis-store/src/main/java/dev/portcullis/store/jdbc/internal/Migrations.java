package dev.portcullis.store.jdbc.internal;

import dev.portcullis.store.StoreException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Brings a database's tables up to date with the Flyway migrations of its backend. */
public final class Migrations {
  private Migrations() {}

  /** Migrates the SQLite database behind {@code dataSource}. */
  public static void sqlite(DataSource dataSource) {
    migrate(configure(dataSource, "sqlite"));
  }

  /**
   * Migrates {@code schema} of the PostgreSQL database behind {@code dataSource}. Replicas that start
   * together are safe: Flyway takes a database lock while it migrates.
   */
  public static void postgres(DataSource dataSource, String schema) {
    migrate(configure(dataSource, "postgres").schemas(schema).defaultSchema(schema));
  }

  private static FluentConfiguration configure(DataSource dataSource, String backend) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/migration/" + backend)
        .failOnMissingLocations(true)
        .validateMigrationNaming(true);
  }

  private static void migrate(FluentConfiguration config) {
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      throw new StoreException("migrating the storage schema failed: " + e.getMessage(), e);
    }
  }
}
