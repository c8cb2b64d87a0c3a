-- Migration 0014: the real territory (see schema.sql). Arrondissements municipaux name their
-- commune; communes keep their contour and the cells that find them from a point. The seed
-- (scripts/seed.sh) loads them again when zone_shape is empty.
ALTER TABLE zone ADD COLUMN parent TEXT;
CREATE INDEX zone_by_parent ON zone (parent) WHERE parent IS NOT NULL;
CREATE TABLE zone_shape (
  zone_id TEXT PRIMARY KEY,
  geometry TEXT NOT NULL
);
CREATE TABLE zone_cell (
  cell TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  PRIMARY KEY (cell, commune_code)
) WITHOUT ROWID;

UPDATE schema_meta SET version = 14, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
