-- Imports (issue 7): where each imported element came from. Importing the same record of the
-- same source again updates its element instead of adding a second one.
CREATE TABLE import_source (
  -- The importer's name for the source ("communecter-reunion"; the format by default), prefixed
  -- with the element's id for an import into an element's network.
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  element_id TEXT NOT NULL REFERENCES element(id) ON DELETE CASCADE,
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE INDEX import_source_element ON import_source (element_id);

UPDATE schema_meta SET version = 6, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
