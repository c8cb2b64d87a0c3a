//! Zones: communes, postal codes, départements, régions.

/// A zone query: the shared select (each zone with its département's and région's names and
/// its related codes — a commune's postal codes or a postal code's communes, comma-separated)
/// followed by the given tail.
macro_rules! zone_query {
    ($tail:literal) => {
        zone_query!("", $tail)
    };
    ($columns:literal, $tail:literal) => {
        concat!(
            "SELECT ",
            $columns,
            " z.id, z.kind, z.code, z.name, z.population, z.lat, z.lon, \
             z.departement AS departement_code, d.name AS departement_name, \
             z.region AS region_code, r.name AS region_name, z.parent, \
             CASE z.kind \
               WHEN 'commune' THEN (SELECT group_concat(postal_code) FROM ( \
                 SELECT postal_code FROM zone_postal WHERE commune_code = z.code \
                 UNION SELECT p.postal_code FROM zone a JOIN zone_postal p ON p.commune_code = a.code \
                 WHERE a.parent = z.code)) \
               WHEN 'postal' THEN (SELECT group_concat(commune_code) FROM zone_postal WHERE postal_code = z.code) \
             END AS related, \
             CASE z.kind WHEN 'commune' THEN (SELECT group_concat(a.code) FROM zone a WHERE a.parent = z.code) \
             END AS arrondissements \
             FROM zone z \
             LEFT JOIN zone d ON d.id = 'departement:' || z.departement \
             LEFT JOIN zone r ON r.id = 'region:' || z.region ",
            $tail
        )
    };
}

/// ?1 id
pub const BY_ID: &str = zone_query!("WHERE z.id = ?1");

/// Exact code, any kind or one kind; a postal code also brings the communes it serves
/// (« 69003 » finds Lyon 3e). Five digits are more often a postal code than an INSEE code
/// (69003 is also Albigny-sur-Saône's): the postal code first, then its communes, then the rest,
/// most populated first. ?1 code, ?2 kind or NULL, ?3 limit
pub const BY_CODE: &str = zone_query!(
    "WHERE z.id IN (SELECT id FROM zone WHERE code = ?1 \
       UNION SELECT 'commune:' || commune_code FROM zone_postal WHERE postal_code = ?1) \
     AND (?2 IS NULL OR z.kind = ?2) \
     ORDER BY CASE WHEN z.kind = 'postal' THEN 0 WHEN z.code <> ?1 THEN 1 ELSE 2 END, \
     z.population DESC, z.id LIMIT ?3"
);

/// The communes (or arrondissements) whose contour may hold a point: those filed under a
/// prefix of its geohash, each with its contour. ?1… the point's cells (`contour::lookup_cells`)
pub fn candidates_at(cells: usize) -> String {
    let list: Vec<String> = (1..=cells).map(|i| format!("?{i}")).collect();
    format!(
        "{} JOIN zone_shape s ON s.zone_id = z.id \
         WHERE z.id IN (SELECT 'commune:' || commune_code FROM zone_cell WHERE cell IN ({}))",
        CANDIDATE_SELECT,
        list.join(", ")
    )
}
const CANDIDATE_SELECT: &str = zone_query!("s.geometry,", "");

/// The communes whose contour may hold any of many points (an import's unplaced rows), with
/// their contours. ?1 the points' cells (JSON array)
pub const CANDIDATES_IN_CELLS: &str = zone_query!(
    "s.geometry,",
    "JOIN zone_shape s ON s.zone_id = z.id \
     WHERE z.id IN (SELECT 'commune:' || commune_code FROM zone_cell \
       WHERE cell IN (SELECT value FROM json_each(?1)))"
);

/// The communes some postal codes serve, with their names. ?1 postal codes (JSON array)
pub const SERVED: &str = "SELECT p.postal_code, z.code, z.name FROM zone_postal p \
     JOIN zone z ON z.id = 'commune:' || p.commune_code \
     WHERE p.postal_code IN (SELECT value FROM json_each(?1))";

/// A zone's contour. ?1 zone id
pub const SHAPE: &str = "SELECT geometry FROM zone_shape WHERE zone_id = ?1";

/// The zones a search names, each with what it stands for: a postal code the communes it
/// serves, a commune its arrondissements (comma-separated). ?1… zone ids
pub fn scopes(zones: usize) -> String {
    let list: Vec<String> = (1..=zones).map(|i| format!("?{i}")).collect();
    format!(
        "SELECT z.id, CASE z.kind \
           WHEN 'postal' THEN (SELECT group_concat(commune_code) FROM zone_postal WHERE postal_code = z.code) \
           WHEN 'commune' THEN (SELECT group_concat(a.code) FROM zone a WHERE a.parent = z.code) \
         END AS members FROM zone z WHERE z.id IN ({})",
        list.join(", ")
    )
}

/// Folded-name prefix (an indexed range), most populated first; without a kind, postal codes
/// are left out (their names repeat their communes').
/// ?1 folded prefix, ?2 its upper bound, ?3 kind or NULL, ?4 limit
pub const BY_NAME_PREFIX: &str = zone_query!(
    "WHERE z.name_key >= ?1 AND z.name_key < ?2 \
     AND ((?3 IS NULL AND z.kind <> 'postal') OR z.kind = ?3) \
     ORDER BY z.population DESC, z.id LIMIT ?4"
);

/// The zones that bear a name (namesakes), most populous first: postal codes left out.
/// ?1 name key, ?2 limit
pub const BY_NAME: &str = zone_query!(
    "WHERE z.name_key = ?1 AND z.kind <> 'postal' ORDER BY z.population DESC, z.id LIMIT ?2"
);

/// A commune's arrondissements municipaux, or an arrondissement's commune, with their names, for
/// the zone page. ?1 the commune's code, ?2 its parent's code or NULL
pub const RELATED_COMMUNES: &str = "SELECT code, name FROM zone WHERE parent = ?1 \
     UNION ALL SELECT code, name FROM zone WHERE code = ?2 AND kind = 'commune' ORDER BY code";

/// How many zones are loaded (the seed skips the import when they are).
/// The communes, départements and régions where something is referenced: the zone pages the
/// static build writes.
pub const WITH_ELEMENTS: &str = zone_query!(
    "WHERE z.id IN (SELECT 'commune:' || commune_code FROM element \
     UNION SELECT 'commune:' || a.parent FROM zone a WHERE a.parent IS NOT NULL \
       AND EXISTS (SELECT 1 FROM element WHERE commune_code = a.code) \
     UNION SELECT 'departement:' || departement FROM element WHERE departement IS NOT NULL \
     UNION SELECT 'region:' || region FROM element WHERE region IS NOT NULL) ORDER BY z.id"
);

pub const COUNT: &str = "SELECT count(*) AS n FROM zone";

/// The head of a multi-row upsert; the seed appends `(…), (…)` rows and `UPSERT_ZONES_TAIL`.
pub const UPSERT_ZONES_HEAD: &str = "INSERT INTO zone \
     (id, kind, code, name, name_key, departement, region, population, lat, lon, coords_source, parent) \
     VALUES ";

pub const UPSERT_ZONES_TAIL: &str = " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, \
     code = excluded.code, name = excluded.name, name_key = excluded.name_key, \
     departement = excluded.departement, region = excluded.region, population = excluded.population, \
     lat = excluded.lat, lon = excluded.lon, coords_source = excluded.coords_source, \
     parent = excluded.parent;";

/// The head of a multi-row upsert of contours; the seed appends rows and `UPSERT_SHAPES_TAIL`.
pub const UPSERT_SHAPES_HEAD: &str = "INSERT INTO zone_shape (zone_id, geometry) VALUES ";
pub const UPSERT_SHAPES_TAIL: &str =
    " ON CONFLICT (zone_id) DO UPDATE SET geometry = excluded.geometry;";

/// The head of a delete of the cells of some communes, before they are written again (a new
/// contour may cover other cells); the seed appends `('69123', …);`.
pub const DELETE_CELLS_HEAD: &str = "DELETE FROM zone_cell WHERE commune_code IN ";

/// The head of a multi-row insert of cells; the seed appends rows and `;`.
pub const INSERT_CELLS_HEAD: &str = "INSERT OR IGNORE INTO zone_cell (cell, commune_code) VALUES ";

/// The head of a multi-row insert of postal links; the seed appends rows and `;`.
pub const INSERT_POSTAL_LINKS_HEAD: &str =
    "INSERT OR IGNORE INTO zone_postal (postal_code, commune_code) VALUES ";

/// A zone's contour (GeoJSON geometry).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Shape {
    pub geometry: String,
}

/// The zones' reads, bound and decoded.
pub mod zone {
    use super::*;
    use crate::db::{Query, opt_text, text};
    use crate::search::Arg;
    use domain::zone::{NamedCode, ZoneQuery, ZoneRow};

    pub fn by_id(id: &str) -> Query<ZoneRow> {
        Query::new(BY_ID, vec![text(id)])
    }

    /// Zones by code or by the start of their name, of a kind when the query names one.
    pub fn search(query: &ZoneQuery, limit: i64) -> Query<ZoneRow> {
        let kind = query.kind().map_or(Arg::Null, text);
        match query {
            ZoneQuery::Code { code, .. } => {
                Query::new(BY_CODE, vec![text(code), kind, Arg::Int(limit)])
            }
            ZoneQuery::Name { prefix, upper, .. } => Query::new(
                BY_NAME_PREFIX,
                vec![text(prefix), text(upper), kind, Arg::Int(limit)],
            ),
        }
    }

    /// The zones that bear a name exactly (its key), most populous first.
    pub fn named(key: &str, limit: i64) -> Query<ZoneRow> {
        Query::new(BY_NAME, vec![text(key), Arg::Int(limit)])
    }

    pub fn shape(id: &str) -> Query<Shape> {
        Query::new(SHAPE, vec![text(id)])
    }

    /// The communes whose contour may hold a point in one of `cells`, with their contours.
    pub fn candidates_at(cells: &[String]) -> Query<ZoneRow> {
        let args: Vec<Arg> = cells.iter().map(|c| text(c)).collect();
        Query::new(super::candidates_at(args.len()), args)
    }

    /// A commune's arrondissements, or an arrondissement's commune.
    pub fn related(code: &str, parent: Option<&str>) -> Query<NamedCode> {
        Query::new(RELATED_COMMUNES, vec![text(code), opt_text(parent)])
    }
}
