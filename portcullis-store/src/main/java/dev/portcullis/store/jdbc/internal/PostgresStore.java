package dev.portcullis.store.jdbc.internal;

import dev.portcullis.store.StoreEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import javax.sql.DataSource;

/**
 * The {@link dev.portcullis.store.Store} on a PostgreSQL database that several replicas share: row
 * locks order concurrent writes, and a trigger announces each commit over LISTEN/NOTIFY, which a
 * {@link PostgresListener} turns into watch events in every replica, this one included.
 */
public final class PostgresStore extends JdbcStore {
  private final PostgresListener listener;

  /**
   * Starts listening before it returns, so that no write committed after this is missed.
   *
   * @param pool pooled connections to the migrated database
   * @param listenerSource opens the one long-lived connection that receives notifications
   * @param schema the schema the tables live in, to ignore notifications from other schemas
   * @param clock judges expiry
   */
  public PostgresStore(
      DataSource pool, DataSource listenerSource, String schema, InstantSource clock) {
    super(pool, clock);
    this.listener = new PostgresListener(listenerSource, schema, watchers, this::now);
  }

  @Override
  protected <T> T write(String what, TxWork<T> work) {
    // Events are not published here: the table's trigger announces every commit to all replicas.
    return Sql.transaction(dataSource, what, connection -> work.run(new PostgresTx(connection)));
  }

  private record PostgresTx(Connection connection) implements Tx {
    @Override
    public long nextRevision() throws SQLException {
      try (PreparedStatement statement = connection.prepareStatement("SELECT nextval('store_revision')");
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }

    @Override
    public void emit(StoreEvent event) {}
  }

  @Override
  public void close() {
    super.close();
    listener.close();
  }
}
