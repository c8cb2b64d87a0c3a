-- Scale (issue 8): each scope's index also orders what a search answers (newest first; events
-- by start), so that a search reads about a page of index entries at any volume.
DROP INDEX element_by_commune;
DROP INDEX element_by_postal;
DROP INDEX element_by_departement;
DROP INDEX element_by_region;
CREATE INDEX element_by_commune ON element (commune_code, kind, start_at);
CREATE INDEX element_by_postal ON element (postal_code, kind, start_at);
CREATE INDEX element_by_departement ON element (departement, kind, start_at);
CREATE INDEX element_by_region ON element (region, kind, start_at);
-- Newest first is the order of addition: each of these is ordered by rowid within its zone.
CREATE INDEX element_recent_by_commune ON element (commune_code);
CREATE INDEX element_recent_by_postal ON element (postal_code);
CREATE INDEX element_recent_by_departement ON element (departement);
CREATE INDEX element_recent_by_region ON element (region);

UPDATE schema_meta SET version = 7, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
