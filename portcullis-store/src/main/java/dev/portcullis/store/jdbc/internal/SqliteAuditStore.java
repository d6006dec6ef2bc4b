package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.audit.StoredAuditEvent;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The audit log in the embedded SQLite file. Appends take turns on the process's write lock, and
 * {@code synchronous=FULL} makes each commit reach the disk before the append returns.
 */
public final class SqliteAuditStore extends JdbcAuditStore {
  private final ReentrantLock writeLock;

  public SqliteAuditStore(DataSource dataSource, ReentrantLock writeLock) {
    super(dataSource);
    this.writeLock = requireNonNull(writeLock, "writeLock");
  }

  @Override
  protected String selectHeadForAppend() {
    return "SELECT sequence, hash FROM audit_head WHERE id = 1";
  }

  @Override
  protected <T> T appendTransaction(Sql.Work<T> work) {
    writeLock.lock();
    try {
      return Sql.transaction(dataSource, "audit append", work);
    } finally {
      writeLock.unlock();
    }
  }
}
