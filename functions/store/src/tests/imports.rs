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
fn import(db: &Connection, text: &str, n: &mut u32) -> (Vec<Row>, Vec<Row>) {
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
    let existing: HashMap<String, String> = db
        .prepare(EXISTING)
        .unwrap()
        .query_map(params!["test", ids], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
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
    let (created, updated) = rows(&plan, &places, &existing, &taken, || {
        *n += 1;
        format!("e_{n}")
    });
    let (new, old) = (
        serde_json::to_string(&created).unwrap(),
        serde_json::to_string(&updated).unwrap(),
    );
    let all = serde_json::to_string(&created.iter().chain(&updated).collect::<Vec<_>>()).unwrap();
    let tx = db.unchecked_transaction().unwrap();
    tx.execute(INSERT_ELEMENTS, params![new, "p1", 100])
        .unwrap();
    tx.execute(UPDATE_ELEMENTS, params![old, 200]).unwrap();
    tx.execute(DELETE_TAGS, [&all]).unwrap();
    tx.execute(INSERT_TAGS, [&all]).unwrap();
    tx.execute(INSERT_ADMINS, params![new, "p1", 100]).unwrap();
    tx.execute(RECORD_SOURCES, params!["test", all, 100])
        .unwrap();
    tx.commit().unwrap();
    (created, updated)
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_import_writes_elements_tags_admins_and_sources_and_a_second_one_updates() {
    let db = db();
    let mut n = 0;
    let (created, updated) = import(&db, FILE, &mut n);
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
    let (created, updated) = import(&db, &changed, &mut n);
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
