-- Migration 0012: the map cell joins the full-text search keys (` gu05kq5p`, the geohash's first 7
-- characters), so that a search around a point or in a box with words, tags or a kind reads
-- the matches in the cells it covers, not every match in France (see schema.sql). A generated
-- column cannot be altered: the triggers that name it go, it is made again, and both full-text
-- indexes are rebuilt from the element table (no data is dropped; the index is written once).
DROP TRIGGER element_fts_insert;
DROP TRIGGER element_fts_delete;
DROP TRIGGER element_fts_update;
DROP TRIGGER element_name_fts_insert;
DROP TRIGGER element_name_fts_delete;
DROP TRIGGER element_name_fts_update;
ALTER TABLE element DROP COLUMN search_keys;
ALTER TABLE element ADD COLUMN search_keys TEXT GENERATED ALWAYS AS ('c' || commune_code || ' p' || coalesce(postal_code, '')
    || ' d' || coalesce(departement, '') || ' r' || coalesce(region, '') || ' k' || kind
    || coalesce(' g' || substr(geohash, 1, 7), '')) VIRTUAL;
CREATE TRIGGER element_fts_insert AFTER INSERT ON element BEGIN
  INSERT INTO element_fts (rowid, name, short_description, description, tags, search_keys)
  VALUES (new.rowid, new.name, new.short_description, new.description, new.tags, new.search_keys);
END;
CREATE TRIGGER element_fts_delete AFTER DELETE ON element BEGIN
  INSERT INTO element_fts (element_fts, rowid, name, short_description, description, tags, search_keys)
  VALUES ('delete', old.rowid, old.name, old.short_description, old.description, old.tags, old.search_keys);
END;
CREATE TRIGGER element_fts_update AFTER UPDATE OF name, short_description, description, tags,
  commune_code, postal_code, departement, region, kind, geohash ON element BEGIN
  INSERT INTO element_fts (element_fts, rowid, name, short_description, description, tags, search_keys)
  VALUES ('delete', old.rowid, old.name, old.short_description, old.description, old.tags, old.search_keys);
  INSERT INTO element_fts (rowid, name, short_description, description, tags, search_keys)
  VALUES (new.rowid, new.name, new.short_description, new.description, new.tags, new.search_keys);
END;
CREATE TRIGGER element_name_fts_insert AFTER INSERT ON element BEGIN
  INSERT INTO element_name_fts (rowid, name, search_keys) VALUES (new.rowid, new.name, new.search_keys);
END;
CREATE TRIGGER element_name_fts_delete AFTER DELETE ON element BEGIN
  INSERT INTO element_name_fts (element_name_fts, rowid, name, search_keys)
  VALUES ('delete', old.rowid, old.name, old.search_keys);
END;
CREATE TRIGGER element_name_fts_update AFTER UPDATE OF name,
  commune_code, postal_code, departement, region, kind, geohash ON element BEGIN
  INSERT INTO element_name_fts (element_name_fts, rowid, name, search_keys)
  VALUES ('delete', old.rowid, old.name, old.search_keys);
  INSERT INTO element_name_fts (rowid, name, search_keys) VALUES (new.rowid, new.name, new.search_keys);
END;
INSERT INTO element_fts (element_fts) VALUES ('rebuild');
INSERT INTO element_name_fts (element_name_fts) VALUES ('rebuild');

UPDATE schema_meta SET version = 12, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
