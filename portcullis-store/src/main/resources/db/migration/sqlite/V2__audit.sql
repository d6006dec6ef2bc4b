-- The audit log: append-only, hash-chained. time_nanos is nanoseconds since the epoch; the json column
-- is the canonical event JSON that the hash covers, the other columns are copies for searching.
CREATE TABLE audit_events (
  sequence   INTEGER NOT NULL PRIMARY KEY,
  id         TEXT    NOT NULL,
  time_nanos INTEGER NOT NULL,
  code       TEXT    NOT NULL,
  type       TEXT    NOT NULL,
  user_name  TEXT    NOT NULL,
  json       TEXT    NOT NULL,
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL
);

CREATE INDEX audit_events_user ON audit_events (user_name, sequence);
CREATE INDEX audit_events_type ON audit_events (type, sequence);
CREATE INDEX audit_events_time ON audit_events (time_nanos);

-- The chain head: the last sequence and hash. Appends read and move it in one transaction, and verify
-- compares it with the log's tail so that removing the newest events is detected.
CREATE TABLE audit_head (
  id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  sequence INTEGER NOT NULL,
  hash     TEXT    NOT NULL
);

INSERT INTO audit_head (id, sequence, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
