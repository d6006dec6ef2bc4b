-- Keyed items for the Store SPI. COLLATE "C" orders keys by their UTF-8 bytes whatever the database
-- locale, the same order as SQLite. Expiry is epoch milliseconds, NULL for never.
CREATE SEQUENCE store_revision AS bigint;

CREATE TABLE store_items (
  key        text COLLATE "C" NOT NULL PRIMARY KEY,
  value      bytea  NOT NULL,
  revision   bigint NOT NULL,
  expires_at bigint
);

CREATE INDEX store_items_expiry ON store_items (expires_at) WHERE expires_at IS NOT NULL;

-- Every committed change is announced on the channel portcullis_store so that every replica's watches
-- see it. The payload is op, revision, key and schema separated by newlines (keys hold no control
-- characters; the schema comes last so that it may hold anything): listeners re-read the item.
CREATE FUNCTION store_items_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('portcullis_store',
      'D' || E'\n' || OLD.revision || E'\n' || OLD.key || E'\n' || TG_TABLE_SCHEMA);
  ELSE
    PERFORM pg_notify('portcullis_store',
      'P' || E'\n' || NEW.revision || E'\n' || NEW.key || E'\n' || TG_TABLE_SCHEMA);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER store_items_notify
  AFTER INSERT OR UPDATE OR DELETE ON store_items
  FOR EACH ROW EXECUTE FUNCTION store_items_notify();
