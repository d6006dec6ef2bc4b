-- Keyed items for the Store SPI. Keys compare as UTF-8 bytes (SQLite's BINARY collation); expiry is
-- epoch milliseconds, NULL for never.
CREATE TABLE store_items (
  key        TEXT    NOT NULL PRIMARY KEY,
  value      BLOB    NOT NULL,
  revision   INTEGER NOT NULL,
  expires_at INTEGER
);

CREATE INDEX store_items_expiry ON store_items (expires_at) WHERE expires_at IS NOT NULL;

-- The store-wide revision counter: one row, bumped inside every write transaction, so revisions keep
-- growing across restarts even when the newest item is deleted.
CREATE TABLE store_revision (
  id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);

INSERT INTO store_revision (id, value) VALUES (1, 0);
