//! Zones that stand for others in a search: a commune for its arrondissements municipaux, a
//! postal code for the communes it serves. Lyon (69123) with Lyon 1er (69381) and Lyon 3e
//! (69383); Villeurbanne (69266), the one commune 69100 serves.

use super::search::{plan, plan_steps};
use crate::testdb;
use domain::search::Plan;
use rusqlite::{Connection, params};

/// (id, commune, own postal code)
const ELEMENTS: [(&str, &str, Option<&str>); 7] = [
    ("lyon", "69123", None),
    ("lyon1", "69381", Some("69001")),
    ("lyon3", "69383", Some("69003")),
    ("lyon3-typed-69100", "69383", Some("69100")),
    ("villeurbanne", "69266", None),
    ("villeurbanne-typed", "69266", Some("69100")),
    ("bron", "69029", Some("69500")),
];

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region, parent) VALUES \
         ('commune:69123', 'commune', '69123', 'Lyon', 'lyon', '69', '84', NULL), \
         ('commune:69381', 'commune', '69381', 'Lyon 1er Arrondissement', 'lyon 1 arrondissement', '69', '84', '69123'), \
         ('commune:69383', 'commune', '69383', 'Lyon 3e Arrondissement', 'lyon 3 arrondissement', '69', '84', '69123'), \
         ('commune:69266', 'commune', '69266', 'Villeurbanne', 'villeurbanne', '69', '84', NULL), \
         ('commune:69029', 'commune', '69029', 'Bron', 'bron', '69', '84', NULL), \
         ('postal:69100', 'postal', '69100', 'Villeurbanne', 'villeurbanne', '69', '84', NULL), \
         ('postal:69003', 'postal', '69003', 'Lyon 3e Arrondissement', 'lyon 3 arrondissement', '69', '84', NULL); \
         INSERT INTO zone_postal (postal_code, commune_code) VALUES \
         ('69100', '69266'), ('69001', '69381'), ('69003', '69383'), ('69500', '69029');",
    )
    .unwrap();
    // Each element three times (a, b, c), so that pages span the arms.
    for round in ["a", "b", "c"] {
        for (i, (id, commune, postal)) in ELEMENTS.iter().enumerate() {
            let id = format!("{id}-{round}");
            let start = 1_000 + (i as i64 * 7 + round.len() as i64 * 3) % 11;
            db.execute(
                "INSERT INTO element (id, slug, kind, name, tags, commune_code, postal_code, \
                 departement, region, lat, lon, geohash, start_at, created_at, updated_at) \
                 VALUES (?1, ?1, 'event', 'Fête de quartier ' || ?1, '[]', ?2, ?3, '69', '84', \
                 45.76, 4.85, 'u05kq5p00', ?4, 1, 1)",
                params![id, commune, postal, start],
            )
            .unwrap();
        }
    }
    db
}

fn found(db: &Connection, q: &str) -> Vec<String> {
    let mut ids: Vec<String> = crate::native::search(db, &plan(&format!("{q}&limit=100")))
        .unwrap()
        .items
        .into_iter()
        .map(|i| {
            i.id.trim_end_matches(['a', 'b', 'c'])
                .trim_end_matches('-')
                .to_string()
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn a_commune_finds_its_arrondissements_and_a_postal_code_the_communes_it_serves() {
    let db = db();
    for extra in [
        "",
        "&q=fete",
        "&near=45.76,4.85,2",
        "&sort=date",
        "&bbox=4.8,45.7,4.9,45.8",
    ] {
        assert_eq!(
            found(&db, &format!("scope=commune:69123{extra}")),
            ["lyon", "lyon1", "lyon3", "lyon3-typed-69100"],
            "{extra}"
        );
        assert_eq!(
            found(&db, &format!("scope=commune:69383{extra}")),
            ["lyon3", "lyon3-typed-69100"],
            "an arrondissement alone: {extra}"
        );
        assert_eq!(
            found(&db, &format!("scope=postal:69100{extra}")),
            ["lyon3-typed-69100", "villeurbanne", "villeurbanne-typed"],
            "Villeurbanne's elements, and any whose own address carries 69100: {extra}"
        );
        assert_eq!(
            found(
                &db,
                &format!("scope=postal:69003&scope=commune:69029{extra}")
            ),
            ["bron", "lyon3", "lyon3-typed-69100"],
            "{extra}"
        );
    }
}

/// Pages of several arms follow each other without a repeat or a gap, in the answer's order.
#[test]
fn pages_across_arms_repeat_nothing_and_skip_nothing() {
    let db = db();
    for (q, by_start) in [
        ("scope=commune:69123&scope=postal:69100&limit=4", false),
        (
            "scope=commune:69123&scope=postal:69100&sort=date&limit=4",
            true,
        ),
    ] {
        let mut seen: Vec<(i64, String)> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let q = match &cursor {
                Some(c) => format!("{q}&cursor={c}"),
                None => q.to_string(),
            };
            let page = crate::native::search(&db, &plan(&q)).unwrap();
            for item in &page.items {
                let (rowid, start): (i64, i64) = db
                    .query_row(
                        "SELECT rowid, start_at FROM element WHERE id = ?1",
                        [&item.id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                seen.push((
                    if by_start {
                        start * 1000 + rowid
                    } else {
                        -rowid
                    },
                    item.id.clone(),
                ));
            }
            cursor = page.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        let mut ordered = seen.clone();
        ordered.sort();
        assert_eq!(seen, ordered, "{q}: in order");
        let mut ids: Vec<&String> = seen.iter().map(|(_, id)| id).collect();
        ids.sort();
        ids.dedup();
        // Lyon's four elements and Villeurbanne's two, three times each.
        assert_eq!((seen.len(), ids.len()), (18, 18), "{q}");
    }
}

/// Up to five zones, each arm reads its scope's index in the answer's order and SQLite merges
/// them; more zones newest first are read through the full-text index, which merges their
/// tokens' lists in rowid order: no sort of every match, so what is read stays about a page.
#[test]
fn several_zones_are_read_in_the_answer_s_order_without_sorting() {
    let db = db();
    let resolved = |q: &str| -> Plan {
        let plan = plan(q);
        let (mut reads, step) = plan.reads();
        let domain::search::reads::Step::Zones(zones) = step else {
            panic!("{step:?}")
        };
        let ids: Vec<crate::search::Arg> = zones
            .iter()
            .map(|z| crate::search::Arg::Text(z.as_string()))
            .collect();
        let rows = crate::native::rows(&db, &crate::zones::scopes(ids.len()), &ids).unwrap();
        match reads.resolved(&rows).unwrap() {
            domain::search::reads::Step::Read(statement) => *statement,
            other => panic!("{other:?}"),
        }
    };
    let six = "scope=commune:69123&scope=postal:69100&scope=commune:69029";
    for (q, read) in [
        ("scope=commune:69123", "element_recent_by_commune"),
        ("scope=postal:69100&kind=event", "element_recent_by_postal"),
        (six, "SCAN f VIRTUAL TABLE"),
        ("scope=commune:69123&sort=date", "element_by_commune"),
        (
            "scope=postal:69100&kind=event&from=2026-12-01",
            "element_by_postal",
        ),
    ] {
        let steps = plan_steps(&db, &resolved(q));
        assert!(steps.contains(read), "{q}: {steps}");
        assert!(!steps.contains("TEMP B-TREE"), "{q}: {steps}");
        assert!(!steps.contains("SCAN e"), "{q}: {steps}");
        if read.starts_with("element_") {
            assert!(steps.contains("MERGE"), "{q}: {steps}");
        }
    }
}

/// The live feed of a commune shows what its arrondissements hold, and a postal code's feed
/// what its communes hold, each once.
#[test]
fn feeds_read_the_same_areas_once_each() {
    use domain::live::{LivePlan, LiveRow};
    let db = db();
    db.execute_batch(
        "INSERT INTO person (id, email, public_fields, created_at, updated_at) VALUES ('p', 'p@x.fr', '[]', 0, 0);",
    )
    .unwrap();
    for (id, zone) in [
        ("p3", "commune:69383"),
        ("pv", "postal:69100"),
        ("pb", "commune:69029"),
    ] {
        db.query_row(
            crate::live::INSERT_POST,
            params![id, "p", "Bonjour", 5, zone],
            |_| Ok(()),
        )
        .unwrap();
    }
    let feed = |scope: &str| -> Vec<String> {
        let mut plan = LivePlan::from_query(&[
            ("scope".into(), scope.into()),
            ("limit".into(), "100".into()),
        ])
        .unwrap();
        let ids = [crate::search::Arg::Text(scope.into())];
        let rows = crate::native::rows(&db, &crate::zones::scopes(1), &ids).unwrap();
        plan.resolve(&rows).unwrap();
        let (sql, args) = crate::live::query(&plan);
        let rows: Vec<LiveRow> = crate::native::rows(&db, &sql, &args).unwrap();
        let mut ids: Vec<String> = plan.page(rows).items.into_iter().map(|i| i.id).collect();
        ids.sort();
        ids
    };
    let lyon = feed("commune:69123");
    assert!(lyon.contains(&"p3".to_string()) && lyon.contains(&"lyon3-a".to_string()));
    assert!(!lyon.contains(&"pv".to_string()) && !lyon.contains(&"villeurbanne-a".to_string()));
    assert_eq!(lyon.len(), 1 + 4 * 3, "{lyon:?}");
    let villeurbanne = feed("postal:69100");
    assert_eq!(villeurbanne.len(), 1 + 3 * 3, "each once: {villeurbanne:?}");
    assert!(villeurbanne.contains(&"villeurbanne-typed-b".to_string()));
}

/// Past D1's five terms in a compound select (which the test databases enforce too), arms are
/// grouped: the answer is the same, in order, and each arm still reads its index.
#[test]
fn many_arms_are_grouped_under_the_compound_limit() {
    let db = db();
    let q = "scope=commune:69123&scope=postal:69100&scope=postal:69003&scope=commune:69029";
    assert_eq!(
        found(&db, q),
        [
            "bron",
            "lyon",
            "lyon1",
            "lyon3",
            "lyon3-typed-69100",
            "villeurbanne",
            "villeurbanne-typed"
        ]
    );
    for sort in ["", "&sort=date"] {
        let page = crate::native::search(&db, &plan(&format!("{q}{sort}&limit=5"))).unwrap();
        assert_eq!(page.items.len(), 5);
        assert!(page.next_cursor.is_some());
    }
    let page = crate::native::search(&db, &plan(&format!("{q}&limit=100"))).unwrap();
    let rowids: Vec<i64> = page
        .items
        .iter()
        .map(|i| {
            db.query_row("SELECT rowid FROM element WHERE id = ?1", [&i.id], |r| {
                r.get(0)
            })
            .unwrap()
        })
        .collect();
    assert!(
        rowids.windows(2).all(|w| w[0] > w[1]),
        "newest first: {rowids:?}"
    );
    assert_eq!(rowids.len(), 21);
}
