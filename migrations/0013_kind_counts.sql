-- Migration 0013: a search of some kinds on the map reads the map's index by kind, and sizes its
-- first circle by their share of the placed elements (see schema.sql).
-- The map's index by kind: a search of some kinds around a point or in a box reads only their
-- entries in each geohash range (the map's index would read every element there).
CREATE INDEX element_by_kind_geohash ON element (kind, geohash);
-- How many placed elements France holds of each kind, and in all (kind '*'): their share scales
-- the count of the cells around a `near` search of some kinds, which then sizes its first
-- circle for a page of those kinds.
CREATE TABLE kind_count (
  kind TEXT PRIMARY KEY,
  elements INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER kind_count_insert AFTER INSERT ON element WHEN new.geohash IS NOT NULL BEGIN
  INSERT INTO kind_count (kind, elements) VALUES (new.kind, 1), ('*', 1)
  ON CONFLICT (kind) DO UPDATE SET elements = elements + 1;
END;
CREATE TRIGGER kind_count_delete AFTER DELETE ON element WHEN old.geohash IS NOT NULL BEGIN
  UPDATE kind_count SET elements = elements - 1 WHERE kind IN (old.kind, '*');
END;
CREATE TRIGGER kind_count_changed AFTER UPDATE OF kind, geohash ON element
  WHEN old.kind IS NOT new.kind OR (old.geohash IS NULL) IS NOT (new.geohash IS NULL) BEGIN
  UPDATE kind_count SET elements = elements - 1
  WHERE kind IN (old.kind, '*') AND old.geohash IS NOT NULL;
  INSERT INTO kind_count (kind, elements)
  SELECT kind, 1 FROM (SELECT new.kind AS kind UNION ALL SELECT '*') WHERE new.geohash IS NOT NULL
  ON CONFLICT (kind) DO UPDATE SET elements = elements + 1;
END;
INSERT INTO kind_count (kind, elements)
  SELECT kind, count(*) FROM element WHERE geohash IS NOT NULL GROUP BY kind
  UNION ALL SELECT '*', count(*) FROM element WHERE geohash IS NOT NULL;

UPDATE schema_meta SET version = 13, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
