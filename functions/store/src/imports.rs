//! Imports: a whole file read in a few statements and written in one batch, each statement
//! taking every row at once as a JSON array (`json_each`), so that an import of a thousand rows
//! stays within D1's per-request query limits and is written all or nothing.

use crate::search::Arg;
use domain::import::rows::Row;

/// The known communes among some codes, with where they put an element.
/// ?1 commune codes (JSON array)
pub const PLACES: &str = "SELECT substr(id, 9) AS code, departement, region, lat, lon FROM zone \
     WHERE id IN (SELECT 'commune:' || value FROM json_each(?1))";

/// The postal codes of some communes (Lyon's are its arrondissements'). ?1 commune codes (JSON array)
pub const POSTAL_CODES: &str = "SELECT commune_code, postal_code FROM zone_postal \
     WHERE commune_code IN (SELECT value FROM json_each(?1)) \
     UNION SELECT a.parent, p.postal_code FROM zone a JOIN zone_postal p ON p.commune_code = a.code \
     WHERE a.parent IN (SELECT value FROM json_each(?1))";

/// The elements imported before from these source ids, and whether a person changed each since
/// (an import sets `updated_at` and `imported_at` to the same time).
/// ?1 source, ?2 source ids (JSON array)
pub const EXISTING: &str = "SELECT s.source_id, s.element_id, e.updated_at > s.imported_at AS edited \
     FROM import_source s JOIN element e ON e.id = s.element_id \
     WHERE s.source = ?1 AND s.source_id IN (SELECT value FROM json_each(?2))";

/// The slugs taken by some bases or their numbered forms (`base-2`…). ?1 bases (JSON array)
/// `CROSS JOIN` keeps the bases outside: to merge the two parts in order, SQLite would
/// otherwise read every slug of the table against each base (12 s for 3,500 bases among 36,000
/// elements, 3 ms this way).
pub const TAKEN_SLUGS: &str = "SELECT e.slug FROM json_each(?1) j CROSS JOIN element e ON e.slug = j.value \
     UNION SELECT e.slug FROM json_each(?1) j CROSS JOIN element e \
     ON e.slug > j.value || '-' AND e.slug < j.value || '.'";

/// The columns of an imported element, read from each JSON row.
macro_rules! row_columns {
    () => {
        "json_extract(value, '$.id'), json_extract(value, '$.slug'), json_extract(value, '$.kind'), \
         json_extract(value, '$.type'), json_extract(value, '$.name'), \
         json_extract(value, '$.short_description'), json_extract(value, '$.description'), \
         json_extract(value, '$.tags'), json_extract(value, '$.street'), \
         json_extract(value, '$.postal_code'), json_extract(value, '$.commune_code'), \
         json_extract(value, '$.departement'), json_extract(value, '$.region'), \
         json_extract(value, '$.lat'), json_extract(value, '$.lon'), json_extract(value, '$.geohash'), \
         json_extract(value, '$.start_at'), json_extract(value, '$.end_at'), \
         json_extract(value, '$.all_day'), json_extract(value, '$.stage'), \
         json_extract(value, '$.section'), json_extract(value, '$.price_cents'), \
         json_extract(value, '$.currency'), json_extract(value, '$.contact'), \
         json_extract(value, '$.category'), json_extract(value, '$.url'), json_extract(value, '$.email'), \
         json_extract(value, '$.phone'), json_extract(value, '$.opening_hours'), \
         json_extract(value, '$.accessibility'), json_extract(value, '$.source_name'), \
         json_extract(value, '$.source_url'), json_extract(value, '$.licence'), \
         coalesce(json_extract(value, '$.open_edition'), 0), \
         coalesce(json_extract(value, '$.requires_approval'), 0)"
    };
}

/// New elements, the importer as their creator. ?1 rows (JSON array), ?2 person, ?3 now
pub const INSERT_ELEMENTS: &str = concat!(
    "INSERT INTO element (id, slug, kind, type, name, short_description, description, tags, \
     street, postal_code, commune_code, departement, region, lat, lon, geohash, start_at, end_at, \
     all_day, stage, section, price_cents, currency, contact, category, url, email, phone, \
     opening_hours, accessibility, source_name, source_url, licence, open_edition, \
     requires_approval, creator_id, created_at, updated_at) SELECT ",
    row_columns!(),
    ", ?2, ?3, ?3 FROM json_each(?1)"
);

/// Elements imported before, brought up to the file (their slug, kind and creator stay).
/// ?1 rows (JSON array), ?2 now
pub const UPDATE_ELEMENTS: &str = "UPDATE element SET type = json_extract(r.value, '$.type'), \
     name = json_extract(r.value, '$.name'), \
     short_description = json_extract(r.value, '$.short_description'), \
     description = json_extract(r.value, '$.description'), tags = json_extract(r.value, '$.tags'), \
     street = json_extract(r.value, '$.street'), postal_code = json_extract(r.value, '$.postal_code'), \
     commune_code = json_extract(r.value, '$.commune_code'), \
     departement = json_extract(r.value, '$.departement'), region = json_extract(r.value, '$.region'), \
     lat = json_extract(r.value, '$.lat'), lon = json_extract(r.value, '$.lon'), \
     geohash = json_extract(r.value, '$.geohash'), start_at = json_extract(r.value, '$.start_at'), \
     end_at = json_extract(r.value, '$.end_at'), url = json_extract(r.value, '$.url'), \
     email = json_extract(r.value, '$.email'), phone = json_extract(r.value, '$.phone'), \
     opening_hours = json_extract(r.value, '$.opening_hours'), \
     accessibility = json_extract(r.value, '$.accessibility'), \
     source_name = json_extract(r.value, '$.source_name'), \
     source_url = json_extract(r.value, '$.source_url'), licence = json_extract(r.value, '$.licence'), \
     updated_at = ?2 FROM json_each(?1) AS r WHERE element.id = json_extract(r.value, '$.id')";

/// Their tags replaced: first this, then `INSERT_TAGS`. ?1 rows (JSON array)
pub const DELETE_TAGS: &str = "DELETE FROM element_tag WHERE element_id IN \
     (SELECT json_extract(value, '$.id') FROM json_each(?1))";

/// ?1 rows (JSON array), each with its folded `tag_keys`
pub const INSERT_TAGS: &str = "INSERT OR IGNORE INTO element_tag (tag, element_id) \
     SELECT t.value, json_extract(r.value, '$.id') FROM json_each(?1) r, \
     json_each(json_extract(r.value, '$.tag_keys')) t";

/// The importer administers the new elements. ?1 rows (JSON array), ?2 person, ?3 now
pub const INSERT_ADMINS: &str = "INSERT OR IGNORE INTO link (element_id, person_id, kind, is_admin, \
     pending, roles, created_at) SELECT json_extract(value, '$.id'), ?2, 'member', 1, 0, '[]', ?3 \
     FROM json_each(?1)";

/// Where each came from. ?1 source, ?2 rows (JSON array), ?3 now
pub const RECORD_SOURCES: &str = "INSERT INTO import_source (source, source_id, element_id, \
     imported_at) SELECT ?1, json_extract(value, '$.source_id'), json_extract(value, '$.id'), ?3 \
     FROM json_each(?2) WHERE true ON CONFLICT (source, source_id) DO UPDATE SET \
     imported_at = excluded.imported_at";

/// The batch that writes an import, all or nothing: new elements (the importer, if a person,
/// their creator and admin), updated ones, their tags, and where each came from; as
/// (statement, arguments), for a host to run in one batch.
pub fn write(
    source: &str,
    created: &[Row],
    updated: &[Row],
    person: Option<&str>,
    now: i64,
) -> Vec<(&'static str, Vec<Arg>)> {
    fn json(rows: &[&Row]) -> String {
        serde_json::to_string(rows).unwrap_or_else(|_| "[]".into())
    }
    let new = json(&created.iter().collect::<Vec<_>>());
    let old = json(&updated.iter().collect::<Vec<_>>());
    let every = json(&created.iter().chain(updated).collect::<Vec<_>>());
    let creator = person.map_or(Arg::Null, |p| Arg::Text(p.to_string()));
    let mut steps = vec![
        (
            INSERT_ELEMENTS,
            vec![Arg::Text(new.clone()), creator, Arg::Int(now)],
        ),
        (UPDATE_ELEMENTS, vec![Arg::Text(old), Arg::Int(now)]),
        (DELETE_TAGS, vec![Arg::Text(every.clone())]),
        (INSERT_TAGS, vec![Arg::Text(every.clone())]),
    ];
    if let Some(person) = person {
        let admin = vec![Arg::Text(new), Arg::Text(person.into()), Arg::Int(now)];
        steps.push((INSERT_ADMINS, admin));
    }
    steps.push((
        RECORD_SOURCES,
        vec![
            Arg::Text(source.to_string()),
            Arg::Text(every),
            Arg::Int(now),
        ],
    ));
    steps
}

/// A (commune, postal code) pair.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Pair {
    pub commune_code: String,
    pub postal_code: String,
}

/// A record imported before from a source: its element, and whether a person changed it since.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Known {
    pub source_id: String,
    pub element_id: String,
    #[serde(deserialize_with = "domain::row::flag")]
    pub edited: bool,
}

/// The reads an import makes for its whole file, bound and decoded (each takes its list as one
/// JSON array, whatever its length).
pub mod reads {
    use super::*;
    use crate::db::{Query, text};
    use crate::elements::Slug;
    use domain::import::placing::Served;
    use domain::import::rows::Place;

    fn json<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
    }

    /// The known communes among `codes`, with where they put an element.
    pub fn places(codes: &[String]) -> Query<Place> {
        Query::new(PLACES, vec![text(&json(&codes))])
    }

    pub fn postal_codes(codes: &[String]) -> Query<Pair> {
        Query::new(POSTAL_CODES, vec![text(&json(&codes))])
    }

    pub fn existing(source: &str, ids: &[&str]) -> Query<Known> {
        Query::new(EXISTING, vec![text(source), text(&json(&ids))])
    }

    /// The communes the postal codes serve.
    pub fn served(postal_codes: &[String]) -> Query<Served> {
        Query::new(crate::zones::SERVED, vec![text(&json(&postal_codes))])
    }

    /// The communes whose contour may hold a position in `cells`.
    pub fn candidates(cells: &[String]) -> Query<domain::zone::ZoneRow> {
        Query::new(crate::zones::CANDIDATES_IN_CELLS, vec![text(&json(&cells))])
    }

    pub fn taken_slugs(bases: &[String]) -> Query<Slug> {
        Query::new(TAKEN_SLUGS, vec![text(&json(&bases))])
    }
}
