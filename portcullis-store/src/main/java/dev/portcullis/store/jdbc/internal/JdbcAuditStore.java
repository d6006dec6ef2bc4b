package dev.portcullis.store.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventJson;
import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.StoredAuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The hash-chained audit log in the SQL both backends share. An append reads the chain head, links the
 * event to it and moves the head in one transaction; subclasses make appends take turns and durable.
 */
public abstract class JdbcAuditStore implements AuditStore {
  private static final int VERIFY_PAGE_SIZE = 1_000;
  private static final String INSERT_EVENT =
      "INSERT INTO audit_events"
          + " (sequence, id, time_nanos, code, type, user_name, json, prev_hash, hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String MOVE_HEAD = "UPDATE audit_head SET sequence = ?, hash = ? WHERE id = 1";

  protected final DataSource dataSource;

  protected JdbcAuditStore(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /** The SELECT that reads the chain head row inside an append, locking it where the backend can. */
  protected abstract String selectHeadForAppend();

  /** Runs an append transaction so that appends take turns and are durable when it returns. */
  protected abstract <T> T appendTransaction(Sql.Work<T> work);

  @Override
  public StoredAuditEvent append(AuditEvent event) {
    requireNonNull(event, "event");
    return appendTransaction(connection -> appendIn(connection, event));
  }

  /** All events in one transaction: one commit, and so one sync, however many there are. */
  @Override
  public List<StoredAuditEvent> appendAll(List<AuditEvent> events) {
    List<AuditEvent> batch = List.copyOf(events);
    if (batch.isEmpty()) {
      return List.of();
    }
    return appendTransaction(connection -> {
      List<StoredAuditEvent> stored = new ArrayList<>(batch.size());
      for (AuditEvent event : batch) {
        stored.add(appendIn(connection, event));
      }
      return stored;
    });
  }

  private StoredAuditEvent appendIn(Connection connection, AuditEvent event) throws SQLException {
    String json = AuditEventJson.write(event);
    long timeNanos = Times.eventNanos(event.time());
    AuditChain.Head previous = Sql.prepared(connection, selectHeadForAppend(), statement -> {
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("audit_head has no row; the database was not migrated");
        }
        return new AuditChain.Head(rows.getLong(1), rows.getString(2));
      }
    });
    String previousHash = previous.hash();
    long sequence = previous.sequence() + 1;
    String hash = AuditChain.hash(previousHash, json);
    Sql.prepared(connection, INSERT_EVENT, statement -> {
      statement.setLong(1, sequence);
      statement.setString(2, event.id());
      statement.setLong(3, timeNanos);
      statement.setString(4, event.code().code());
      statement.setString(5, event.code().type());
      statement.setString(6, event.user());
      statement.setString(7, json);
      statement.setString(8, previousHash);
      statement.setString(9, hash);
      return statement.executeUpdate();
    });
    Sql.prepared(connection, MOVE_HEAD, statement -> {
      statement.setLong(1, sequence);
      statement.setString(2, hash);
      return statement.executeUpdate();
    });
    return new StoredAuditEvent(sequence, event, previousHash, hash);
  }

  @Override
  public List<StoredAuditEvent> search(AuditQuery query) {
    requireNonNull(query, "query");
    StringBuilder sql =
        new StringBuilder("SELECT sequence, json, prev_hash, hash FROM audit_events WHERE 1 = 1");
    query.user().ifPresent(u -> sql.append(" AND user_name = ?"));
    query.type().ifPresent(t -> sql.append(" AND type = ?"));
    query.since().ifPresent(s -> sql.append(" AND time_nanos >= ?"));
    query.until().ifPresent(u -> sql.append(" AND time_nanos < ?"));
    sql.append(" ORDER BY sequence DESC LIMIT ?");
    return Sql.autoCommit(
        dataSource,
        "audit search",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            if (query.user().isPresent()) {
              statement.setString(index++, query.user().get());
            }
            if (query.type().isPresent()) {
              statement.setString(index++, query.type().get());
            }
            if (query.since().isPresent()) {
              statement.setLong(index++, Times.boundNanos(query.since().get()));
            }
            if (query.until().isPresent()) {
              statement.setLong(index++, Times.boundNanos(query.until().get()));
            }
            statement.setInt(index, query.limit());
            List<StoredAuditEvent> events = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                events.add(
                    new StoredAuditEvent(
                        rows.getLong(1),
                        AuditEventJson.read(rows.getString(2)),
                        rows.getString(3),
                        rows.getString(4)));
              }
            }
            return List.copyOf(events);
          }
        });
  }

  @Override
  public ChainVerification verify() {
    return Sql.autoCommit(
        dataSource,
        "audit verify",
        connection -> {
          // The head is read first: an append moves it in the same transaction that adds its row, so
          // every row up to the head is already visible, and rows appended meanwhile are left out.
          Optional<AuditChain.Head> head = head(connection);
          long upTo = head.map(AuditChain.Head::sequence).orElse(Long.MAX_VALUE);
          AuditChain chain = new AuditChain();
          long after = 0;
          boolean more = true;
          // Pages keep memory flat and need no long transaction, which would hold up appends.
          while (more) {
            more = false;
            try (PreparedStatement statement =
                connection.prepareStatement(
                    "SELECT sequence, time_nanos, code, type, user_name, json, prev_hash, hash"
                        + " FROM audit_events WHERE sequence > ? AND sequence <= ?"
                        + " ORDER BY sequence LIMIT ?")) {
              statement.setLong(1, after);
              statement.setLong(2, upTo);
              statement.setInt(3, VERIFY_PAGE_SIZE);
              try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                  AuditChain.Row row =
                      new AuditChain.Row(
                          rows.getLong(1),
                          rows.getLong(2),
                          rows.getString(3),
                          rows.getString(4),
                          rows.getString(5),
                          rows.getString(6),
                          rows.getString(7),
                          rows.getString(8));
                  if (!chain.accept(row)) {
                    return chain.result();
                  }
                  after = row.sequence();
                  more = true;
                }
              }
            }
          }
          return chain.finish(head);
        });
  }

  private static Optional<AuditChain.Head> head(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT sequence, hash FROM audit_head WHERE id = 1");
        ResultSet rows = statement.executeQuery()) {
      return rows.next()
          ? Optional.of(new AuditChain.Head(rows.getLong(1), rows.getString(2)))
          : Optional.empty();
    }
  }
}
