-- The audit log: append-only, hash-chained. time_nanos is nanoseconds since the epoch; the json column
-- is the canonical event JSON that the hash covers, the other columns are copies for searching.
CREATE TABLE audit_events (
  sequence   bigint NOT NULL PRIMARY KEY,
  id         text   NOT NULL,
  time_nanos bigint NOT NULL,
  code       text   NOT NULL,
  type       text   NOT NULL,
  user_name  text   NOT NULL,
  json       text   NOT NULL,
  prev_hash  text   NOT NULL,
  hash       text   NOT NULL
);

CREATE INDEX audit_events_user ON audit_events (user_name, sequence);
CREATE INDEX audit_events_type ON audit_events (type, sequence);
CREATE INDEX audit_events_time ON audit_events (time_nanos);

-- The chain head: the last sequence and hash. Appends lock this row (SELECT ... FOR UPDATE), so two
-- replicas appending at once take turns and never fork the chain; verify compares it with the log's
-- tail so that removing the newest events is detected.
CREATE TABLE audit_head (
  id       integer NOT NULL PRIMARY KEY CHECK (id = 1),
  sequence bigint  NOT NULL,
  hash     text    NOT NULL
);

INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, repeat('0', 64));

CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE TRIGGER audit_events_no_change
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
