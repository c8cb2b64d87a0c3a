//! Zones: communes, postal codes, départements, régions.

/// A zone query: the shared select (each zone with its département's and région's names and
/// its related codes — a commune's postal codes or a postal code's communes, comma-separated)
/// followed by the given tail.
macro_rules! zone_query {
    ($tail:literal) => {
        concat!(
            "SELECT z.id, z.kind, z.code, z.name, z.population, z.lat, z.lon, \
             z.departement AS departement_code, d.name AS departement_name, \
             z.region AS region_code, r.name AS region_name, \
             CASE z.kind \
               WHEN 'commune' THEN (SELECT group_concat(postal_code) FROM zone_postal WHERE commune_code = z.code) \
               WHEN 'postal' THEN (SELECT group_concat(commune_code) FROM zone_postal WHERE postal_code = z.code) \
             END AS related \
             FROM zone z \
             LEFT JOIN zone d ON d.id = 'departement:' || z.departement \
             LEFT JOIN zone r ON r.id = 'region:' || z.region ",
            $tail
        )
    };
}

/// ?1 id
pub const BY_ID: &str = zone_query!("WHERE z.id = ?1");

/// Exact code, any kind or one kind, most populated first. ?1 code, ?2 kind or NULL, ?3 limit
pub const BY_CODE: &str = zone_query!(
    "WHERE z.code = ?1 AND (?2 IS NULL OR z.kind = ?2) ORDER BY z.population DESC, z.id LIMIT ?3"
);

/// Folded-name prefix (an indexed range), most populated first; without a kind, postal codes
/// are left out (their names repeat their communes').
/// ?1 folded prefix, ?2 its upper bound, ?3 kind or NULL, ?4 limit
pub const BY_NAME_PREFIX: &str = zone_query!(
    "WHERE z.name_key >= ?1 AND z.name_key < ?2 \
     AND ((?3 IS NULL AND z.kind <> 'postal') OR z.kind = ?3) \
     ORDER BY z.population DESC, z.id LIMIT ?4"
);

/// How many zones are loaded (the seed skips the import when they are).
/// The communes, départements and régions where something is referenced: the zone pages the
/// static build writes.
pub const WITH_ELEMENTS: &str = zone_query!(
    "WHERE z.id IN (SELECT 'commune:' || commune_code FROM element \
     UNION SELECT 'departement:' || departement FROM element WHERE departement IS NOT NULL \
     UNION SELECT 'region:' || region FROM element WHERE region IS NOT NULL) ORDER BY z.id"
);

pub const COUNT: &str = "SELECT count(*) AS n FROM zone";

/// The head of a multi-row upsert; the seed appends `(…), (…)` rows and `UPSERT_ZONES_TAIL`.
pub const UPSERT_ZONES_HEAD: &str = "INSERT INTO zone \
     (id, kind, code, name, name_key, departement, region, population, lat, lon, coords_source) VALUES ";

pub const UPSERT_ZONES_TAIL: &str = " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, \
     code = excluded.code, name = excluded.name, name_key = excluded.name_key, \
     departement = excluded.departement, region = excluded.region, population = excluded.population, \
     lat = excluded.lat, lon = excluded.lon, coords_source = excluded.coords_source;";

/// The head of a multi-row insert of postal links; the seed appends rows and `;`.
pub const INSERT_POSTAL_LINKS_HEAD: &str =
    "INSERT OR IGNORE INTO zone_postal (postal_code, commune_code) VALUES ";
