package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write to one SQLite file in this process, the store's and the audit log's, with group commit:
 * while one transaction runs, the writes that arrive wait, and the next transaction runs all of them,
 * each in a savepoint of its own, and commits once, so one sync to disk serves them all. A write that
 * fails is rolled back alone and its caller gets its exception; every caller returns once its write is
 * durable, and the writes of one transaction commit in the order they queued.
 */
public final class SqliteWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
  /** The most writes in one transaction, which bounds how long the first of them waits for its commit. */
  static final int MAX_GROUP = 256;

  private static final String SAVEPOINT = "SAVEPOINT portcullis_write";
  private static final String RELEASE = "RELEASE portcullis_write";
  private static final String ROLLBACK_TO = "ROLLBACK TO portcullis_write";

  /** One write: its statements, and what to do once they are committed. */
  @FunctionalInterface
  public interface Job<T> {
    T run(Connection connection) throws SQLException;

    /**
     * Runs after the commit, in commit order, before the next transaction starts; it must be quick and
     * must not block. Not called for a write that failed or was rolled back.
     */
    default void committed(T result) {}
  }

  private final DataSource dataSource;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock: the writes waiting for a transaction, the thread running one, and how many ran.
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private Thread writing;
  private long transactions;

  public SqliteWriter(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /**
   * Runs {@code job} in a write transaction, possibly with other callers' jobs, and returns its result
   * once committed.
   *
   * @throws dev.portcullis.store.StoreException when the job or the transaction fails with an {@link
   *     SQLException}, naming {@code what}; other exceptions of the job are rethrown as they are
   */
  public <T> T write(String what, Job<T> job) {
    Pending<T> mine = new Pending<>(requireNonNull(what, "what"), requireNonNull(job, "job"), lock.newCondition());
    boolean lead;
    lock.lock();
    try {
      if (writing == Thread.currentThread()) {
        // It would wait for the transaction it runs in.
        throw new IllegalStateException(what + ": a write cannot start another write (expected: none nested)");
      }
      queue.add(mine);
      while (writing != null && !mine.done) {
        mine.turn.awaitUninterruptibly();
      }
      lead = !mine.done;
      if (lead) {
        writing = Thread.currentThread();
      }
    } finally {
      lock.unlock();
    }
    if (lead) {
      lead(mine);
    }
    return mine.outcome();
  }

  /** Runs transactions until {@code mine} is done, then hands the turn to the next waiting writer. */
  private void lead(Pending<?> mine) {
    // This thread runs other callers' writes: its own interrupt must not fail theirs.
    boolean interrupted = Thread.interrupted();
    try {
      while (!mine.done) {
        List<Pending<?>> group = take();
        try {
          runGroup(group);
        } finally {
          release(group);
        }
      }
    } finally {
      lock.lock();
      try {
        writing = null;
        Pending<?> next = queue.peek();
        if (next != null) {
          next.turn.signal();
        }
      } finally {
        lock.unlock();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<Pending<?>> take() {
    lock.lock();
    try {
      List<Pending<?>> group = new ArrayList<>(Math.min(queue.size(), MAX_GROUP));
      while (!queue.isEmpty() && group.size() < MAX_GROUP) {
        group.add(queue.poll());
      }
      transactions++;
      return group;
    } finally {
      lock.unlock();
    }
  }

  private void release(List<Pending<?>> group) {
    lock.lock();
    try {
      for (Pending<?> pending : group) {
        pending.done = true;
        pending.turn.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void runGroup(List<Pending<?>> group) {
    boolean committed = false;
    try (Connection connection = dataSource.getConnection()) {
      try {
        committed = runIn(connection, group);
      } catch (SQLException | RuntimeException | Error e) {
        rollbackOrEvict(connection, e);
        throw e;
      }
      // The pool puts auto-commit back when the connection returns to it.
    } catch (SQLException | RuntimeException | Error e) {
      if (!committed) {
        // The transaction as a whole failed: no job in it committed, whatever it did on its own.
        for (Pending<?> pending : group) {
          pending.failWith(e);
        }
        return;
      }
      // Only giving the connection back failed; the writes are durable.
      LOG.warn("returning a SQLite connection after a commit failed", e);
    }
    if (committed) {
      for (Pending<?> pending : group) {
        pending.announce();
      }
    }
  }

  /**
   * Rolls back after a failure; when even that fails (SQLite may already have ended the transaction by
   * itself, after a full disk or an I/O error), the connection's state is unknown and it leaves the pool.
   */
  private void rollbackOrEvict(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
      if (dataSource instanceof HikariDataSource pool) {
        pool.evictConnection(connection);
      }
    }
  }

  /** Runs the group in one transaction; returns whether it committed (false when every job failed). */
  private static boolean runIn(Connection connection, List<Pending<?>> group) throws SQLException {
    // A savepoint per job only matters when another job shares the transaction.
    boolean savepoints = group.size() > 1;
    connection.setAutoCommit(false);
    boolean anySucceeded = false;
    for (Pending<?> pending : group) {
      anySucceeded |= pending.runIn(connection, savepoints);
    }
    if (!anySucceeded) {
      connection.rollback();
      return false;
    }
    connection.commit();
    return true;
  }

  /** How many transactions ran; for tests. */
  long transactions() {
    lock.lock();
    try {
      return transactions;
    } finally {
      lock.unlock();
    }
  }

  /** How many writes wait for a transaction; for tests. */
  int waiting() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** A queued write and, once done, its outcome. Fields are written before {@code done} under the lock. */
  private static final class Pending<T> {
    final String what;
    final Job<T> job;
    final Condition turn;
    boolean done;
    boolean ran;
    T result;
    Throwable failure;

    Pending(String what, Job<T> job, Condition turn) {
      this.what = what;
      this.job = job;
      this.turn = turn;
    }

    /**
     * Runs the job in its own savepoint; returns whether it succeeded. Throws only when the transaction
     * itself can no longer be trusted (the savepoint could not be set, released or rolled back to).
     */
    boolean runIn(Connection connection, boolean savepoint) throws SQLException {
      if (savepoint) {
        Sql.prepared(connection, SAVEPOINT, PreparedStatement::executeUpdate);
      }
      try {
        result = job.run(connection);
      } catch (SQLException | RuntimeException | Error e) {
        failure = e;
        if (savepoint) {
          Sql.prepared(connection, ROLLBACK_TO, PreparedStatement::executeUpdate);
          Sql.prepared(connection, RELEASE, PreparedStatement::executeUpdate);
        }
        return false;
      }
      ran = true;
      if (savepoint) {
        Sql.prepared(connection, RELEASE, PreparedStatement::executeUpdate);
      }
      return true;
    }

    void failWith(Throwable transactionFailure) {
      if (failure == null) {
        failure = transactionFailure;
      }
      ran = false;
      result = null;
    }

    void announce() {
      if (ran) {
        try {
          job.committed(result);
        } catch (RuntimeException e) {
          LOG.warn("announcing a committed SQLite write ({}) failed", what, e);
        }
      }
    }

    T outcome() {
      return switch (failure) {
        case null -> result;
        case SQLException e -> throw Sql.failure(what, e);
        case RuntimeException e -> throw e;
        case Error e -> throw e;
        default -> throw new IllegalStateException(what + " failed", failure);
      };
    }
  }
}
