use crate::elements::*;
use crate::native::{execute, query};
use crate::testdb;
use rusqlite::{Connection, params_from_iter};

/// Inserts an organization at Saint-Paul with its tags, as the worker writes one (`Write`).
pub fn insert(
    db: &Connection,
    id: &str,
    slug: &str,
    name: &str,
    tags: &[&str],
    creator: Option<&str>,
) {
    let data = domain::element::input::ElementData {
        kind: Some(domain::element::Kind::Organization),
        type_: Some("NGO".into()),
        name: name.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        commune_code: "97415".into(),
        ..Default::default()
    };
    let write = Write {
        id,
        slug,
        data: &data,
        departement: Some("974"),
        region: Some("04"),
        geohash: None,
        creator,
        now: 100,
    };
    let mut steps = vec![(INSERT, write.args())];
    steps.extend(write.tags());
    for (sql, args) in steps {
        db.execute(sql, params_from_iter(args.iter().map(arg)))
            .unwrap();
    }
}

use crate::native::value as arg;

fn with_commune() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region, lat, lon) \
         VALUES ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04', -21.0, 55.27); \
         INSERT INTO zone_postal VALUES ('97434', '97415'); \
         INSERT INTO person (id, email, created_at, updated_at) VALUES ('p1', 'a@b.fr', 0, 0), ('p2', 'c@d.fr', 0, 0);",
    )
    .unwrap();
    db
}

fn fts(db: &Connection, query: &str) -> Vec<String> {
    db.prepare("SELECT e.id FROM element_fts f JOIN element e ON e.rowid = f.rowid WHERE element_fts MATCH ?1 ORDER BY e.id")
        .unwrap()
        .query_map([query], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn integrity(db: &Connection) {
    db.execute_batch(
        "INSERT INTO element_fts (element_fts) VALUES ('integrity-check');
         INSERT INTO element_name_fts (element_name_fts) VALUES ('integrity-check');",
    )
    .expect("the FTS indexes match the table");
}

#[test]
fn reads_by_id_or_slug_with_commune_name_and_counts() {
    let db = with_commune();
    insert(
        &db,
        "e1",
        "vrac",
        "Épicerie du Vrac",
        &["Épicerie", "Vrac"],
        Some("p1"),
    );
    execute(&db, &element::creator_admin("e1", "p1", 100)).unwrap();
    query(&db, &element::link("e1", "p2", LinkChange::Follow, 100)).unwrap();
    for key in ["e1", "vrac"] {
        let (id, commune, followers, members): (String, String, i64, i64) = db
            .query_row(BY_ID_OR_SLUG, [key], |r| {
                Ok((
                    r.get("id")?,
                    r.get("commune_name")?,
                    r.get("followers")?,
                    r.get("members")?,
                ))
            })
            .unwrap();
        assert_eq!(
            (id.as_str(), commune.as_str(), followers, members),
            ("e1", "Saint-Paul", 1, 1)
        );
    }
}

#[test]
fn the_full_text_index_follows_every_insert_update_and_delete() {
    let db = with_commune();
    insert(&db, "e1", "vrac", "Épicerie du Vrac", &["Vrac"], None);
    insert(&db, "e2", "jardin", "Jardin partagé", &["Jardin"], None);
    assert_eq!(fts(&db, "epicerie"), ["e1"], "accents folded");
    assert_eq!(fts(&db, "EPICERIE"), ["e1"], "case folded");
    assert_eq!(fts(&db, "partag*"), ["e2"]);

    let data = domain::element::input::ElementData {
        kind: Some(domain::element::Kind::Organization),
        type_: Some("NGO".into()),
        name: "Bazar solidaire".into(),
        commune_code: "97415".into(),
        ..Default::default()
    };
    let write = Write {
        id: "e1",
        slug: "vrac",
        data: &data,
        departement: None,
        region: None,
        geohash: None,
        creator: None,
        now: 200,
    };
    db.execute(UPDATE, params_from_iter(write.args().iter().map(arg)))
        .unwrap();
    assert!(
        fts(&db, "epicerie").is_empty(),
        "the old name is gone from the index"
    );
    assert_eq!(fts(&db, "bazar"), ["e1"]);
    integrity(&db);

    db.execute(DELETE, ["e2"]).unwrap();
    assert!(fts(&db, "jardin").is_empty());
    integrity(&db);
}

#[test]
fn deleting_an_element_takes_its_tags_and_links() {
    let db = with_commune();
    insert(&db, "e1", "vrac", "Vrac", &["Vrac", "vrac", "Bio"], None);
    query(&db, &element::link("e1", "p2", LinkChange::Follow, 1)).unwrap();
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(
        count("SELECT count(*) FROM element_tag"),
        2,
        "folded duplicates kept once"
    );
    db.execute(DELETE, ["e1"]).unwrap();
    assert_eq!(count("SELECT count(*) FROM element_tag"), 0);
    assert_eq!(count("SELECT count(*) FROM link"), 0);
}

#[test]
fn slugs_taken_by_a_base_and_its_numbered_forms() {
    let db = with_commune();
    for (id, slug) in [
        ("e1", "vrac"),
        ("e2", "vrac-2"),
        ("e3", "vrac-bio"),
        ("e4", "vraca"),
    ] {
        insert(&db, id, slug, "Vrac", &[], None);
    }
    let mut taken: Vec<String> = db
        .prepare(SLUGS_LIKE)
        .unwrap()
        .query_map(["vrac"], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    taken.sort();
    assert_eq!(taken, ["vrac", "vrac-2", "vrac-bio"]);
    assert_eq!(domain::element::slug::first_free("vrac", &taken), "vrac-3");
}

#[test]
fn the_commune_gives_zones_and_checks_the_postal_code() {
    let db = with_commune();
    let row = |commune: &str, postal: Option<&str>| -> Option<(Option<String>, bool)> {
        let found = query(&db, &element::placement(commune, postal)).unwrap();
        found
            .into_iter()
            .next()
            .map(|p| (p.departement, p.postal_ok))
    };
    let la_reunion = Some("974".to_string());
    assert_eq!(row("97415", None), Some((la_reunion.clone(), true)));
    assert_eq!(
        row("97415", Some("97434")),
        Some((la_reunion.clone(), true))
    );
    assert_eq!(row("97415", Some("75001")), Some((la_reunion, false)));
    assert!(row("00000", None).is_none());
}

#[test]
fn links_follow_join_approve_and_keep_an_admin() {
    let db = with_commune();
    insert(&db, "e1", "vrac", "Vrac", &[], Some("p1"));
    execute(&db, &element::creator_admin("e1", "p1", 1)).unwrap();
    // (member, admin, follows, pending)
    let relation = |person: &str| -> (bool, bool, bool, bool) {
        let r = query(&db, &element::relation("e1", person))
            .unwrap()
            .remove(0);
        (r.member, r.admin, r.follows, r.pending)
    };
    let change = |person: &str, change: LinkChange, now: i64| -> Option<String> {
        let changed = query(&db, &element::link("e1", person, change, now)).unwrap();
        changed.into_iter().next().map(|p| p.person_id)
    };
    assert_eq!(relation("p1"), (true, true, false, false));
    assert_eq!(relation("p2"), (false, false, false, false));
    change("p2", LinkChange::Follow, 2);
    change("p2", LinkChange::Follow, 3);
    let asked = LinkChange::Join {
        requires_approval: true,
    };
    change("p2", asked, 4);
    assert_eq!(
        relation("p2"),
        (false, false, true, true),
        "follows, and asked to join"
    );
    let update = |person: &str, admin: Option<bool>, pending: Option<bool>, roles: Option<&str>| {
        let changed = element::update_member("e1", person, admin, pending, roles);
        query(&db, &changed)
            .unwrap()
            .into_iter()
            .next()
            .map(|p| p.person_id)
    };
    let approved = update("p2", None, Some(false), Some(r#"["trésorière"]"#));
    assert_eq!(approved.as_deref(), Some("p2"));
    assert_eq!(relation("p2"), (true, false, true, false));
    let members: Vec<(String, bool, bool, String)> = query(&db, &element::members("e1"))
        .unwrap()
        .into_iter()
        .map(|m| (m.person_id, m.is_admin, m.pending, m.roles))
        .collect();
    assert_eq!(
        members,
        [
            ("p1".into(), true, false, "[]".into()),
            ("p2".into(), false, false, r#"["trésorière"]"#.into())
        ]
    );
    let leave = |person: &str| change(person, LinkChange::Leave, 5);
    assert_eq!(leave("p1"), None, "the only admin may not leave");
    assert_eq!(update("p1", Some(false), None, None), None, "nor step down");
    assert_eq!(
        update("p1", None, Some(true), None),
        None,
        "nor go back to pending"
    );
    assert_eq!(relation("p1"), (true, true, false, false));
    assert_eq!(
        update("p2", Some(true), None, None).as_deref(),
        Some("p2"),
        "a second admin"
    );
    // Both admins leave one after the other, as two requests at once are run by SQLite's single
    // writer: the second finds no other admin and stays.
    assert_eq!(leave("p1").as_deref(), Some("p1"));
    assert_eq!(leave("p2"), None);
    assert_eq!(relation("p2"), (true, true, true, false));
    change("p2", LinkChange::Unfollow, 6);
    assert_eq!(relation("p2"), (true, true, false, false));
}

#[test]
fn erasing_a_person_keeps_their_elements_without_them() {
    let db = with_commune();
    insert(&db, "e1", "vrac", "Vrac", &[], Some("p1"));
    execute(&db, &element::creator_admin("e1", "p1", 1)).unwrap();
    for step in crate::accounts::people::erase("p1") {
        execute(&db, &step).unwrap();
    }
    let creator: Option<String> = db
        .query_row("SELECT creator_id FROM element", [], |r| r.get(0))
        .unwrap();
    assert_eq!(creator, None);
    assert_eq!(
        db.query_row("SELECT count(*) FROM link", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        0
    );
}

#[test]
fn the_static_build_reads_every_element_and_only_the_zones_with_content() {
    use crate::native::rows;
    let db = with_commune();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region) VALUES \
         ('commune:97416', 'commune', '97416', 'Saint-Pierre', 'saint pierre', '974', '04'), \
         ('departement:974', 'departement', '974', 'La Réunion', 'la reunion', '974', '04'), \
         ('region:04', 'region', '04', 'La Réunion', 'la reunion', NULL, '04'), \
         ('region:11', 'region', '11', 'Île-de-France', 'ile de france', NULL, '11');",
    )
    .unwrap();
    insert(&db, "e1", "vrac", "Vrac", &["Épicerie"], Some("p1"));
    insert(&db, "e2", "jardin", "Jardin", &[], None);
    query(&db, &element::link("e1", "p2", LinkChange::Follow, 5)).unwrap();
    let elements: Vec<domain::element::view::ElementRow> = rows(&db, ALL, &[]).unwrap();
    let slugs: Vec<&str> = elements.iter().map(|e| e.slug.as_str()).collect();
    assert_eq!(slugs, ["vrac", "jardin"]);
    assert_eq!(elements[0].commune_name.as_deref(), Some("Saint-Paul"));
    assert_eq!((elements[0].followers, elements[1].followers), (1, 0));
    let zones: Vec<domain::zone::ZoneRow> = rows(&db, crate::zones::WITH_ELEMENTS, &[]).unwrap();
    let ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
    assert_eq!(ids, ["commune:97415", "departement:974", "region:04"]);
}

#[test]
fn a_person_s_links_are_one_line_an_element_with_each_relation() {
    let db = crate::testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES ('u1', 'a@b.fr', 0, 0); \
         INSERT INTO zone (id, kind, code, name, name_key) VALUES ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul'); \
         INSERT INTO element (id, slug, kind, name, commune_code, created_at, updated_at) VALUES \
           ('e1', 'vrac', 'organization', 'Vrac', '97415', 0, 0), ('e2', 'amap', 'project', 'AMAP', '97415', 0, 0), \
           ('e3', 'autre', 'organization', 'Autre', '97415', 0, 0); \
         INSERT INTO link (element_id, person_id, kind, is_admin, pending, created_at) VALUES \
           ('e1', 'u1', 'member', 1, 0, 0), ('e1', 'u1', 'follow', 0, 0, 0), ('e2', 'u1', 'member', 0, 1, 0);",
    )
    .unwrap();
    let links: Vec<domain::space::LinkRow> = crate::native::rows(
        &db,
        crate::elements::LINKS_OF_PERSON,
        &[crate::search::Arg::Text("u1".into())],
    )
    .unwrap();
    let seen: Vec<(String, bool, bool, bool, bool, Option<String>)> = links
        .into_iter()
        .map(|l| {
            (
                l.name,
                l.follows,
                l.member,
                l.admin,
                l.pending,
                l.commune_name,
            )
        })
        .collect();
    let saint_paul = Some("Saint-Paul".to_string());
    assert_eq!(
        seen,
        [
            ("AMAP".into(), false, false, false, true, saint_paul.clone()),
            ("Vrac".into(), true, true, true, false, saint_paul),
        ]
    );
}
