package dev.portcullis.store.jdbc.internal;

import dev.portcullis.audit.StoredAuditEvent;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The audit log in the shared PostgreSQL database. Each append locks the chain head row, so appends
 * from every replica take turns and the chain never forks, and commits synchronously whatever the
 * server's default, so the event is on disk before the append returns.
 */
public final class PostgresAuditStore extends JdbcAuditStore {

  public PostgresAuditStore(DataSource pool) {
    super(pool);
  }

  @Override
  protected String selectHeadForAppend() {
    return "SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE";
  }

  @Override
  protected <T> T appendTransaction(Sql.Work<T> work) {
    return Sql.transaction(
        dataSource,
        "audit append",
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL synchronous_commit = on");
          }
          return work.run(connection);
        });
  }
}
