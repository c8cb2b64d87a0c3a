-- Scale (issue 8): words typed in part are read from prefix indexes (3 to 12 letters), and a
-- search by relevance no longer asks FTS5 for its rank but reads names first, from an index of
-- names alone, then the rest, newest first; the rank's weights go. FTS5 cannot add a prefix
-- index to an existing table: it is made again and rebuilt from the element table, which
-- writes the whole index once.
DROP TABLE element_fts;
CREATE VIRTUAL TABLE element_fts USING fts5 (
  name, short_description, description, tags, search_keys,
  content = 'element', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '3 4 5 6 7 8 9 10 11 12'
);
INSERT INTO element_fts (element_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE element_name_fts USING fts5 (
  name, search_keys,
  content = 'element', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '3 4 5 6 7 8 9 10 11 12'
);
CREATE TRIGGER element_name_fts_insert AFTER INSERT ON element BEGIN
  INSERT INTO element_name_fts (rowid, name, search_keys) VALUES (new.rowid, new.name, new.search_keys);
END;
CREATE TRIGGER element_name_fts_delete AFTER DELETE ON element BEGIN
  INSERT INTO element_name_fts (element_name_fts, rowid, name, search_keys)
  VALUES ('delete', old.rowid, old.name, old.search_keys);
END;
CREATE TRIGGER element_name_fts_update AFTER UPDATE OF name,
  commune_code, postal_code, departement, region, kind ON element BEGIN
  INSERT INTO element_name_fts (element_name_fts, rowid, name, search_keys)
  VALUES ('delete', old.rowid, old.name, old.search_keys);
  INSERT INTO element_name_fts (rowid, name, search_keys) VALUES (new.rowid, new.name, new.search_keys);
END;
INSERT INTO element_name_fts (element_name_fts) VALUES ('rebuild');

UPDATE schema_meta SET version = 9, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
