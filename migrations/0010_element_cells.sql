-- Migration 0010: element counts per geohash cell, so that a `near` search sizes its first circle
-- for a page instead of probing (see schema.sql).
-- How many placed elements each geohash cell of 6 characters holds (about 0.6 × 0.9 km in
-- France): a `near` search reads the four around its centre to size its first circle for a page.
CREATE TABLE element_cell (
  cell TEXT PRIMARY KEY,
  elements INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER element_cell_insert AFTER INSERT ON element WHEN new.geohash IS NOT NULL BEGIN
  INSERT INTO element_cell (cell, elements) VALUES (substr(new.geohash, 1, 6), 1)
  ON CONFLICT (cell) DO UPDATE SET elements = elements + 1;
END;
CREATE TRIGGER element_cell_delete AFTER DELETE ON element WHEN old.geohash IS NOT NULL BEGIN
  UPDATE element_cell SET elements = elements - 1 WHERE cell = substr(old.geohash, 1, 6);
END;
CREATE TRIGGER element_cell_moved AFTER UPDATE OF geohash ON element
  WHEN substr(old.geohash, 1, 6) IS NOT substr(new.geohash, 1, 6) BEGIN
  UPDATE element_cell SET elements = elements - 1 WHERE cell = substr(old.geohash, 1, 6);
  INSERT INTO element_cell (cell, elements) SELECT substr(new.geohash, 1, 6), 1
  WHERE new.geohash IS NOT NULL
  ON CONFLICT (cell) DO UPDATE SET elements = elements + 1;
END;
INSERT INTO element_cell (cell, elements)
SELECT substr(geohash, 1, 6), count(*) FROM element WHERE geohash IS NOT NULL GROUP BY 1;

UPDATE schema_meta SET version = 10, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
