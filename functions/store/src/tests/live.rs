use crate::live::{insert_post, query};
use crate::testdb;
use domain::live::{LivePlan, LiveRow};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region) VALUES \
           ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04'), \
           ('commune:97416', 'commune', '97416', 'Saint-Pierre', 'saint pierre', '974', '04'), \
           ('departement:974', 'departement', '974', 'La Réunion', 'la reunion', '974', '04'); \
         INSERT INTO person (id, email, display_name, public_fields, created_at, updated_at) VALUES \
           ('p1', 'a@b.fr', 'Camille', '[\"display_name\"]', 0, 0), ('p2', 'c@d.fr', 'Secret', '[]', 0, 0); \
         INSERT INTO element (id, slug, kind, name, commune_code, departement, region, created_at, updated_at) VALUES \
           ('e1', 'e1', 'organization', 'Vrac', '97415', '974', '04', 10, 10), \
           ('e2', 'e2', 'organization', 'Sud', '97416', '974', '04', 30, 30);",
    )
    .unwrap();
    db
}

fn post(db: &Connection, id: &str, author: &str, zone: &str, at: i64) -> Option<String> {
    let written = crate::native::query(db, &insert_post(id, author, zone, "Bonjour", at)).unwrap();
    written.into_iter().next().map(|p| p.id)
}

fn plan(q: &str) -> LivePlan {
    let pairs: Vec<(String, String)> = q
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    LivePlan::from_query(&pairs).unwrap()
}

fn feed(db: &Connection, q: &str) -> (Vec<String>, Vec<Option<String>>, Option<String>) {
    let plan = plan(q);
    let (sql, args) = query(&plan);
    let args: Vec<Value> = args.iter().map(crate::native::value).collect();
    let rows: Vec<LiveRow> = db
        .prepare(&sql)
        .unwrap_or_else(|e| panic!("{e}\n{sql}"))
        .query_map(params_from_iter(args), |r| {
            Ok(LiveRow {
                item_type: r.get("item_type")?,
                id: r.get("id")?,
                slug: r.get("slug")?,
                kind: r.get("kind")?,
                title: r.get("title")?,
                text: r.get("text")?,
                author: r.get("author")?,
                zone_id: r.get("zone_id")?,
                commune_code: r.get("commune_code")?,
                created_at: r.get("created_at")?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let page = plan.page(rows);
    (
        page.items.iter().map(|i| i.id.clone()).collect(),
        page.items.iter().map(|i| i.author.clone()).collect(),
        page.next_cursor,
    )
}

/// SQLite's plan of a feed's statement, a step a line.
fn query_plan(db: &Connection, q: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Step {
        detail: String,
    }
    let (sql, args) = query(&plan(q));
    let steps: Vec<Step> =
        crate::native::rows(db, &format!("EXPLAIN QUERY PLAN {sql}"), &args).unwrap();
    steps.into_iter().map(|s| s.detail).collect()
}

#[test]
fn posts_are_placed_by_their_zone_or_refused() {
    let db = db();
    assert_eq!(
        post(&db, "s1", "p1", "commune:97415", 20).as_deref(),
        Some("s1")
    );
    assert_eq!(post(&db, "s2", "p1", "commune:99999", 20), None);
    let (dep, commune): (String, Option<String>) = db
        .query_row(
            "SELECT departement, commune_code FROM post WHERE id = 's1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((dep.as_str(), commune.as_deref()), ("974", Some("97415")));
}

#[test]
fn a_feed_merges_elements_and_posts_of_its_scope_newest_first() {
    let db = db();
    post(&db, "s1", "p1", "commune:97415", 20);
    post(&db, "s2", "p2", "departement:974", 40);
    let (ids, authors, _) = feed(&db, "scope=commune:97415");
    assert_eq!(ids, ["s1", "e1"]);
    assert_eq!(authors, [Some("Camille".into()), None]);
    let (ids, authors, _) = feed(&db, "scope=departement:974");
    assert_eq!(ids, ["s2", "e2", "s1", "e1"]);
    assert_eq!(
        authors[0].as_deref(),
        Some("Un·e habitant·e"),
        "a private name stays private"
    );
}

#[test]
fn feed_pages_chain_without_gaps() {
    let db = db();
    post(&db, "s1", "p1", "commune:97415", 20);
    post(&db, "s2", "p1", "commune:97415", 25);
    let (first, _, cursor) = feed(&db, "scope=commune:97415&limit=2");
    assert_eq!(first, ["s2", "s1"]);
    let (second, _, end) = feed(
        &db,
        &format!("scope=commune:97415&limit=2&cursor={}", cursor.unwrap()),
    );
    assert_eq!(second, ["e1"]);
    assert_eq!(end, None);
}

#[test]
fn erasing_an_author_erases_their_posts() {
    let db = db();
    post(&db, "s1", "p1", "commune:97415", 20);
    for sql in crate::accounts::ERASE_PERSON {
        db.execute(sql, ["p1"]).unwrap();
    }
    assert_eq!(
        db.query_row("SELECT count(*) FROM post", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        0
    );
}

#[test]
fn a_post_hidden_by_moderation_leaves_the_feed() {
    let db = db();
    post(&db, "s1", "p1", "commune:97415", 20);
    let hidden = crate::cooperation::resolutions::hide_post("s1", 30);
    crate::native::execute(&db, &hidden).unwrap();
    let (ids, _, _) = feed(&db, "scope=commune:97415");
    assert_eq!(ids, ["e1"]);
}

#[test]
fn a_scope_s_feed_reads_its_indexes_in_the_feed_s_order() {
    let db = db();
    for q in [
        "scope=commune:97415",
        "scope=departement:974",
        "scope=region:04",
    ] {
        let steps = query_plan(&db, q);
        let element = steps
            .iter()
            .find(|s| s.contains("SEARCH e "))
            .unwrap_or_else(|| panic!("{q}: {steps:?}"));
        assert!(element.contains("element_live_by_"), "{q}: {steps:?}");
        // Within each arm only ties of the same second are sorted (by id), never the whole
        // scope; what is sorted whole is only arms' pages (a subquery's rows, each limited to a
        // page), to merge them.
        assert!(
            !steps
                .iter()
                .any(|s| s.starts_with("SCAN e") || s.starts_with("SCAN p")),
            "{q}: {steps:?}"
        );
        for (i, step) in steps.iter().enumerate() {
            if step == "USE TEMP B-TREE FOR ORDER BY" {
                assert!(
                    steps[i - 1].starts_with("SCAN (subquery-"),
                    "{q}: {steps:?}"
                );
            }
        }
        assert_eq!(
            steps.last().map(String::as_str),
            Some("USE TEMP B-TREE FOR ORDER BY")
        );
    }
}

#[test]
fn without_a_scope_the_feed_is_the_whole_instance_read_by_date() {
    let db = db();
    post(&db, "s1", "p1", "commune:97415", 20);
    post(&db, "s2", "p1", "commune:97416", 35);
    let (ids, _, _) = feed(&db, "limit=3");
    assert_eq!(ids, ["s2", "e2", "s1"]);
    let steps = query_plan(&db, "limit=3");
    for index in ["element_by_created", "post_by_created"] {
        assert!(steps.iter().any(|s| s.contains(index)), "{steps:?}");
    }
}
