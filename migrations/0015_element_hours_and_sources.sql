-- Migration 0015: an element's opening hours and accessibility, and for an imported one where
-- its data comes from and under which licence (the town halls of the Annuaire de
-- l'administration, issue 18). See schema.sql.
ALTER TABLE element ADD COLUMN opening_hours TEXT;
ALTER TABLE element ADD COLUMN accessibility TEXT;
ALTER TABLE element ADD COLUMN source_name TEXT;
ALTER TABLE element ADD COLUMN source_url TEXT;
ALTER TABLE element ADD COLUMN licence TEXT;

UPDATE schema_meta SET version = 15, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
