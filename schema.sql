-- The schema of record. A fresh database gets this file whole; an existing one gets the files of
-- migrations/ whose number is above the version it holds (see scripts/migrate.sh). Any change here
-- comes with a migration and a bump of the version below and of store::SCHEMA_VERSION.

CREATE TABLE schema_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

INSERT INTO schema_meta (id, version) VALUES (1, 1);
