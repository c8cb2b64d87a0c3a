-- Scale (issue 8): scopes and kind become full-text tokens, so that a search with words or tags
-- filters them inside the FTS5 query, which answers in rank (or rowid) order and stops at the
-- page's end. The index is rebuilt from the table. Elements keep their commune's name, so that
-- a search shows it without reading the zone table once a row. The live feed gets indexes in its
-- own order (creation time), so that it reads about a page too.
ALTER TABLE element ADD COLUMN commune_name TEXT;
UPDATE element SET commune_name = (SELECT name FROM zone WHERE id = 'commune:' || element.commune_code);
-- The live feed merges elements and posts of a scope by creation time, newest first.
CREATE INDEX element_live_by_commune ON element (commune_code, created_at);
CREATE INDEX element_live_by_postal ON element (postal_code, created_at);
CREATE INDEX element_live_by_departement ON element (departement, created_at);
CREATE INDEX element_live_by_region ON element (region, created_at);
CREATE TRIGGER element_commune_name AFTER INSERT ON element BEGIN
  UPDATE element SET commune_name = (SELECT name FROM zone WHERE id = 'commune:' || new.commune_code)
  WHERE rowid = new.rowid;
END;
CREATE TRIGGER element_commune_moved AFTER UPDATE OF commune_code ON element BEGIN
  UPDATE element SET commune_name = (SELECT name FROM zone WHERE id = 'commune:' || new.commune_code)
  WHERE rowid = new.rowid;
END;
CREATE TRIGGER zone_commune_renamed AFTER UPDATE OF name ON zone WHEN new.kind = 'commune' BEGIN
  UPDATE element SET commune_name = new.name WHERE commune_code = new.code;
END;
ALTER TABLE element ADD COLUMN search_keys TEXT GENERATED ALWAYS AS ('c' || commune_code || ' p' || coalesce(postal_code, '')
  || ' d' || coalesce(departement, '') || ' r' || coalesce(region, '') || ' k' || kind) VIRTUAL;
DROP TRIGGER element_fts_insert;
DROP TRIGGER element_fts_delete;
DROP TRIGGER element_fts_update;
DROP TABLE element_fts;
CREATE VIRTUAL TABLE element_fts USING fts5 (
  name, short_description, description, tags, search_keys,
  content = 'element', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO element_fts (element_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 6.0, 0.0)');
CREATE TRIGGER element_fts_insert AFTER INSERT ON element BEGIN
  INSERT INTO element_fts (rowid, name, short_description, description, tags, search_keys)
  VALUES (new.rowid, new.name, new.short_description, new.description, new.tags, new.search_keys);
END;
CREATE TRIGGER element_fts_delete AFTER DELETE ON element BEGIN
  INSERT INTO element_fts (element_fts, rowid, name, short_description, description, tags, search_keys)
  VALUES ('delete', old.rowid, old.name, old.short_description, old.description, old.tags, old.search_keys);
END;
CREATE TRIGGER element_fts_update AFTER UPDATE OF name, short_description, description, tags,
  commune_code, postal_code, departement, region, kind ON element BEGIN
  INSERT INTO element_fts (element_fts, rowid, name, short_description, description, tags, search_keys)
  VALUES ('delete', old.rowid, old.name, old.short_description, old.description, old.tags, old.search_keys);
  INSERT INTO element_fts (rowid, name, short_description, description, tags, search_keys)
  VALUES (new.rowid, new.name, new.short_description, new.description, new.tags, new.search_keys);
END;
INSERT INTO element_fts (element_fts) VALUES ('rebuild');

UPDATE schema_meta SET version = 8, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
