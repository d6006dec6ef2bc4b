package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import javax.sql.DataSource;

/**
 * The audit log in the embedded SQLite file. Appends go through the file's {@link SqliteWriter}, so they
 * take turns with every other write and may share a commit with them, and {@code synchronous=FULL} makes
 * each commit reach the disk before the append returns.
 */
public final class SqliteAuditStore extends JdbcAuditStore {
  private final SqliteWriter writer;

  public SqliteAuditStore(DataSource dataSource, SqliteWriter writer) {
    super(dataSource);
    this.writer = requireNonNull(writer, "writer");
  }

  @Override
  protected String selectHeadForAppend() {
    return "SELECT sequence, hash FROM audit_head WHERE id = 1";
  }

  @Override
  protected <T> T appendTransaction(Sql.Work<T> work) {
    return writer.write("audit append", work::run);
  }
}
