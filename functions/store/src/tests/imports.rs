//! Imports against SQLite: the rows the domain plans, read by `json_each` in a few statements;
//! a second import of the same source updates, never duplicates; a failing batch leaves nothing.

use crate::imports::*;
use crate::testdb;
use domain::import::rows::{Place, Row, rows};
use domain::import::{Format, plan, read};
use rusqlite::{Connection, params};
use std::collections::HashMap;

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region, lat, lon) VALUES \
         ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04', -21.0, 55.27); \
         INSERT INTO zone_postal VALUES ('97460', '97415'); \
         INSERT INTO person (id, email, created_at, updated_at) VALUES ('p1', 'a@b.fr', 0, 0); \
         INSERT INTO element (id, slug, kind, name, tags, commune_code, open_edition, requires_approval, created_at, updated_at) \
         VALUES ('e_x', 'les-amis-du-lagon', 'organization', 'Les Amis du Lagon', '[]', '97415', 0, 0, 0, 0);",
    )
    .unwrap();
    db
}

const FILE: &str = "id,kind,type,name,commune_code,tags\n\
                    s1,organization,NGO,Les Amis du Lagon,97415,mer | plage\n\
                    s2,poi,sharedLibrary,Boîte à livres,97415,\n";

/// Plans the file as the worker does, then writes it as the worker's batch does.
fn import(db: &mut Connection, text: &str, n: &mut u32) -> (Vec<Row>, Vec<Row>) {
    let plan = plan(read(Format::Csv, text).unwrap());
    let codes = serde_json::to_string(&plan.communes()).unwrap();
    let places: HashMap<String, Place> = db
        .prepare(PLACES)
        .unwrap()
        .query_map([&codes], |r| {
            Ok(Place {
                code: r.get(0)?,
                departement: r.get(1)?,
                region: r.get(2)?,
                lat: r.get(3)?,
                lon: r.get(4)?,
            })
        })
        .unwrap()
        .map(|p| p.unwrap())
        .map(|p| (p.code.clone(), p))
        .collect();
    let ids = serde_json::to_string(
        &plan
            .accepted
            .iter()
            .map(|a| &a.source_id)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let known: Vec<(String, String, bool)> = db
        .prepare(EXISTING)
        .unwrap()
        .query_map(params!["test", ids], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let existing: HashMap<String, String> = known
        .iter()
        .map(|(s, e, _)| (s.clone(), e.clone()))
        .collect();
    let edited: std::collections::HashSet<String> =
        known.iter().filter(|k| k.2).map(|k| k.0.clone()).collect();
    let mut plan = plan;
    plan.keep_edited(&edited);
    let bases = serde_json::to_string(
        &plan
            .accepted
            .iter()
            .map(|a| domain::element::slug::base(&a.data.name))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let taken: Vec<String> = db
        .prepare(TAKEN_SLUGS)
        .unwrap()
        .query_map([&bases], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let (created, updated) = rows(&plan, &places, &existing, &taken, None, |_| {
        *n += 1;
        format!("e_{n}")
    });
    let now = 100 + i64::from(*n);
    crate::native::batch(db, &write("test", &created, &updated, Some("p1"), now)).unwrap();
    (created, updated)
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_import_writes_elements_tags_admins_and_sources_and_a_second_one_updates() {
    let mut db = db();
    let mut n = 0;
    let (created, updated) = import(&mut db, FILE, &mut n);
    assert_eq!((created.len(), updated.len()), (2, 0));
    let (slug, lat, departement, creator): (String, f64, String, String) = db
        .query_row(
            "SELECT slug, lat, departement, creator_id FROM element WHERE id = 'e_1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (slug.as_str(), lat, departement.as_str(), creator.as_str()),
        ("les-amis-du-lagon-2", -21.0, "974", "p1")
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM element_tag WHERE element_id = 'e_1'"
        ),
        2
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM link WHERE person_id = 'p1' AND is_admin = 1"
        ),
        2
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM element_fts WHERE element_fts MATCH 'livres'"
        ),
        1,
        "searchable at once"
    );

    let changed = FILE
        .replace("mer | plage", "mer")
        .replace("Boîte à livres", "Boîte à livres du port");
    let (created, updated) = import(&mut db, &changed, &mut n);
    assert_eq!(
        (created.len(), updated.len()),
        (0, 2),
        "the same source ids update"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM element"), 3);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM element_tag WHERE element_id = 'e_1'"
        ),
        1
    );
    let name: String = db
        .query_row("SELECT name FROM element WHERE id = 'e_2'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "Boîte à livres du port");
    assert_eq!(count(&db, "SELECT count(*) FROM import_source"), 2);

    // A person renames the library: the next import leaves it as they wrote it, and updates
    // the rest.
    db.execute_batch(
        "UPDATE element SET name = 'La boîte du quai', updated_at = 999 WHERE id = 'e_2'",
    )
    .unwrap();
    let again = changed.replace("Les Amis du Lagon", "Les Amis du Lagon bleu");
    let (created, updated) = import(&mut db, &again, &mut n);
    assert_eq!((created.len(), updated.len()), (0, 1));
    let names: Vec<String> = db
        .prepare("SELECT name FROM element WHERE id IN ('e_1', 'e_2') ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["Les Amis du Lagon bleu", "La boîte du quai"]);
}

#[test]
fn postal_codes_of_the_communes_are_read_for_the_check() {
    let db = db();
    let pairs: Vec<(String, String)> = db
        .prepare(POSTAL_CODES)
        .unwrap()
        .query_map(["[\"97415\"]"], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(pairs, [("97415".to_string(), "97460".to_string())]);
}

#[test]
fn taken_slugs_are_read_from_the_index_base_by_base() {
    let db = db();
    let plan: Vec<String> = db
        .prepare(&format!("EXPLAIN QUERY PLAN {TAKEN_SLUGS}"))
        .unwrap()
        .query_map(["[\"les-amis-du-lagon\"]"], |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!plan.iter().any(|s| s.starts_with("SCAN e")), "{plan:?}");
    let taken: Vec<String> = db
        .prepare(TAKEN_SLUGS)
        .unwrap()
        .query_map(["[\"les-amis-du-lagon\"]"], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(taken, ["les-amis-du-lagon"]);
}
