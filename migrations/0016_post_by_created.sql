-- The live feed of the whole instance (no scope) reads posts newest first.
CREATE INDEX IF NOT EXISTS post_by_created ON post (created_at);

UPDATE schema_meta SET version = 16, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
