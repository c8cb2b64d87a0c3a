//! The search statement against SQLite: scopes, text, tags, near, dates, order, pages, indexes.

use crate::search::{Arg, query};
use crate::testdb;
use domain::search::Plan;
use rusqlite::{Connection, params};

struct El<'a> {
    id: &'a str,
    kind: &'a str,
    name: &'a str,
    tags: &'a [&'a str],
    commune: &'a str,
    lat: f64,
    lon: f64,
    created: i64,
    start: Option<i64>,
    end: Option<i64>,
}

fn el<'a>(
    id: &'a str,
    name: &'a str,
    tags: &'a [&'a str],
    commune: &'a str,
    lat: f64,
    lon: f64,
    created: i64,
) -> El<'a> {
    El {
        id,
        kind: "organization",
        name,
        tags,
        commune,
        lat,
        lon,
        created,
        start: None,
        end: None,
    }
}

fn add(db: &Connection, e: &El) {
    let (dep, postal) = if e.commune == "97415" {
        ("974", "97460")
    } else {
        ("974", "97410")
    };
    let geohash = domain::geo::Point {
        lat: e.lat,
        lon: e.lon,
    }
    .geohash(9);
    db.execute(
        "INSERT INTO element (id, slug, kind, type, name, tags, commune_code, postal_code, departement, region, \
         lat, lon, geohash, start_at, end_at, created_at, updated_at) \
         VALUES (?1, ?1, ?2, 'NGO', ?3, ?4, ?5, ?6, ?7, '04', ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        params![e.id, e.kind, e.name, serde_json::to_string(e.tags).unwrap(), e.commune, postal, dep, e.lat, e.lon, geohash, e.start, e.end, e.created],
    )
    .unwrap();
    let keys: Vec<String> = e.tags.iter().map(|t| domain::text::fold(t)).collect();
    db.execute(
        crate::elements::INSERT_TAGS,
        params![e.id, serde_json::to_string(&keys).unwrap()],
    )
    .unwrap();
}

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key) VALUES \
         ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul'), \
         ('commune:97416', 'commune', '97416', 'Saint-Pierre', 'saint pierre'), \
         ('postal:97460', 'postal', '97460', 'Saint-Paul', 'saint paul'), \
         ('postal:97410', 'postal', '97410', 'Saint-Pierre', 'saint pierre'), \
         ('departement:974', 'departement', '974', 'La Réunion', 'la reunion'), \
         ('region:04', 'region', '04', 'La Réunion', 'la reunion'); \
         INSERT INTO zone_postal (postal_code, commune_code) VALUES ('97460', '97415'), ('97410', '97416');",
    )
    .unwrap();
    for e in [
        el(
            "vrac",
            "Épicerie du Vrac",
            &["Épicerie", "Vrac"],
            "97415",
            -21.0096,
            55.2713,
            10,
        ),
        el(
            "bio",
            "Marché bio",
            &["Bio", "Vrac"],
            "97415",
            -21.0200,
            55.2800,
            20,
        ),
        el(
            "sud",
            "Épicerie du Sud",
            &["épicerie"],
            "97416",
            -21.3393,
            55.4781,
            30,
        ),
        el(
            "jardin",
            "Jardin partagé",
            &["Jardin"],
            "97416",
            -21.3400,
            55.4800,
            40,
        ),
    ] {
        add(&db, &e);
    }
    db
}

fn run(db: &Connection, q: &str) -> (Vec<String>, Option<String>) {
    let page = crate::native::search(db, &plan(q)).unwrap();
    (
        page.items.into_iter().map(|i| i.id).collect(),
        page.next_cursor,
    )
}

pub(super) fn plan(q: &str) -> Plan {
    let pairs: Vec<(String, String)> = q
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    Plan::from_query(&pairs).unwrap()
}

/// Decoded as the edge decodes D1's rows: by column name, through serde.
fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn scopes_combine_with_or() {
    let db = db();
    assert_eq!(sorted(run(&db, "scope=commune:97415").0), ["bio", "vrac"]);
    assert_eq!(
        sorted(run(&db, "scope=commune:97415&scope=commune:97416").0),
        ["bio", "jardin", "sud", "vrac"]
    );
    assert_eq!(run(&db, "scope=departement:974").0.len(), 4);
    assert_eq!(sorted(run(&db, "scope=postal:97410").0), ["jardin", "sud"]);
    assert!(run(&db, "scope=region:04&kind=poi").0.is_empty());
    let unknown = crate::native::search(&db, &plan("scope=region:11"));
    assert_eq!(unknown.unwrap_err(), "unknown_zone");
}

#[test]
fn text_ignores_accents_and_case_and_ranks_names_first() {
    let db = db();
    assert_eq!(sorted(run(&db, "q=EPICERIE").0), ["sud", "vrac"]);
    assert_eq!(
        sorted(run(&db, "q=épice").0),
        ["sud", "vrac"],
        "prefix while typing"
    );
    assert_eq!(run(&db, "q=epicerie&scope=commune:97416").0, ["sud"]);
    assert!(
        run(&db, "q=epicerie&scope=commune:97416&kind=poi")
            .0
            .is_empty()
    );
}

#[test]
fn tags_any_versus_all() {
    let db = db();
    assert_eq!(sorted(run(&db, "tags=VRAC").0), ["bio", "vrac"]);
    assert_eq!(
        sorted(run(&db, "tags=épicerie,bio").0),
        ["bio", "sud", "vrac"]
    );
    assert_eq!(run(&db, "tags=epicerie,vrac&tags_mode=all").0, ["vrac"]);
    assert!(run(&db, "tags=jardin,vrac&tags_mode=all").0.is_empty());
}

#[test]
fn near_finds_a_neighbour_across_a_cell_edge_and_not_beyond_the_radius() {
    let db = db();
    // A centre 50 m west of a cell edge, and an element 50 m east of it, in the next cell.
    let near = domain::geo::Near::parse("-21.1,55.3,1").unwrap();
    let precision = domain::geo::cover::cover(&near.bounds())[0].lo.len();
    let home = domain::geo::Point {
        lat: -21.1,
        lon: 55.3,
    }
    .geohash(precision);
    let edge = geohash_east_edge(&home);
    add(
        &db,
        &el("edge", "Voisin", &[], "97415", -21.1, edge + 0.0005, 50),
    );
    let (ids, _) = run(&db, &format!("near=-21.1,{},1", edge - 0.0005));
    assert_eq!(ids, ["edge"]);
    let (ids, _) = run(&db, "near=-21.0096,55.2713,5");
    assert_eq!(ids, ["vrac", "bio"], "nearest first");
    let (ids, _) = run(&db, "near=-21.0096,55.2713,1");
    assert_eq!(ids, ["vrac"], "bio is 1.3 km away");
}

fn geohash_east_edge(cell: &str) -> f64 {
    // The east edge of a cell: walk east until the cell changes.
    let precision = cell.len();
    let mut lon = 55.3;
    while (domain::geo::Point { lat: -21.1, lon }).geohash(precision) == cell {
        lon += 0.00001;
    }
    lon - 0.000005
}

#[test]
fn bbox_keeps_what_lies_inside() {
    let db = db();
    assert_eq!(
        sorted(run(&db, "bbox=55.2,-21.1,55.3,-21.0").0),
        ["bio", "vrac"]
    );
}

#[test]
fn dates_select_overlapping_events_in_order() {
    let db = db();
    let day = 86_400;
    for (id, start, end) in [
        ("marche", 10 * day, Some(10 * day + 3600)),
        ("festival", 12 * day, Some(15 * day)),
        ("vieux", day, None),
    ] {
        add(
            &db,
            &El {
                kind: "event",
                start: Some(start),
                end,
                ..el(id, id, &[], "97415", -21.0, 55.27, 60)
            },
        );
    }
    assert_eq!(
        run(&db, "from=1970-01-11&to=1970-01-13").0,
        ["marche", "festival"]
    );
    assert_eq!(
        run(&db, "from=1970-01-14").0,
        ["festival"],
        "still running on the 14th"
    );
    assert_eq!(run(&db, "sort=date").0, ["vieux", "marche", "festival"]);
}

#[test]
fn pages_have_no_duplicate_and_no_gap() {
    let db = db();
    let names: Vec<String> = (0..23).map(|i| format!("p{i:02}")).collect();
    for (i, id) in names.iter().enumerate() {
        // Equal creation times in pairs, and equal ranks: ties are broken by rowid.
        add(
            &db,
            &el(
                id,
                "Page",
                &["page"],
                "97415",
                -21.0,
                55.27,
                100 + (i as i64) / 2,
            ),
        );
    }
    for order in [
        "tags=page",
        "tags=page&q=page",
        "tags=page&near=-21.0,55.27,2",
        "tags=page&scope=commune:97415",
        "q=page&scope=departement:974&kind=organization",
        "scope=departement:974&tags=page&sort=recent",
    ] {
        let mut seen: Vec<String> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let q = match &cursor {
                Some(c) => format!("{order}&limit=5&cursor={c}"),
                None => format!("{order}&limit=5"),
            };
            let (ids, next) = run(&db, &q);
            assert!(ids.len() <= 5);
            seen.extend(ids);
            match next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen.len(), names.len(), "{order}: {seen:?}");
        assert_eq!(sorted(seen), names, "{order}");
    }
}

#[test]
fn every_search_uses_an_index() {
    let db = db();
    // The unfiltered search walks the table in rowid order (newest first) and stops at the page.
    let everything = query_plan(&db, "");
    assert!(
        everything.starts_with("SCAN e") && !everything.contains("TEMP B-TREE"),
        "{everything}"
    );
    for q in [
        "scope=commune:97415",
        "scope=commune:97415&scope=departement:974",
        "q=vrac",
        "tags=vrac",
        "tags=vrac,bio&tags_mode=all",
        "near=-21.0,55.27,5",
        "from=2026-01-01",
        "kind=event&sort=date",
    ] {
        let steps = query_plan(&db, q);
        let details: Vec<&str> = steps.split(" | ").collect();
        for line in &details {
            let full_scan = line.starts_with("SCAN e") && !line.contains("INDEX");
            assert!(!full_scan, "{q}: {line} in {details:?}");
        }
    }
}

#[test]
fn near_pages_walk_a_crowded_place_nearest_first_without_gaps_or_repeats() {
    let db = db();
    // 3,000 elements on a spiral within 3.3 km of Saint-Paul, more than any page: every page is read from
    // the index in distance order, and the pages together give each element once, in order.
    let centre = (-21.0096, 55.2713);
    let ids: Vec<String> = (0..3000).map(|i| format!("s{i:04}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let (r, a) = (0.00001 * i as f64, i as f64 * 2.4);
        add(
            &db,
            &el(
                id,
                "Lieu",
                &[],
                "97415",
                centre.0 + r * a.cos(),
                centre.1 + r * a.sin(),
                10,
            ),
        );
    }
    let near = domain::geo::Near::parse("-21.0096,55.2713,5").unwrap();
    let mut seen: Vec<String> = Vec::new();
    let mut last = 0.0;
    let mut query = "near=-21.0096,55.2713,5&limit=50".to_string();
    for _ in 0..80 {
        let page = crate::native::search(&db, &plan(&query)).unwrap();
        for item in &page.items {
            let d = near.distance_km(&domain::geo::Point {
                lat: item.lat.unwrap(),
                lon: item.lon.unwrap(),
            });
            assert!(d + 1e-9 >= last, "{} at {d} after {last}", item.id);
            last = d;
            seen.push(item.id.clone());
        }
        match page.next_cursor {
            Some(cursor) => query = format!("near=-21.0096,55.2713,5&limit=50&cursor={cursor}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no element twice");
    assert!(
        ids.iter().all(|id| unique.binary_search(id).is_ok()),
        "every one of them"
    );
    // The fixture's own elements within 5 km, once each, among them.
    let fixture = run(&self::db(), "near=-21.0096,55.2713,5&limit=100").0;
    assert_eq!(seen.len(), ids.len() + fixture.len());
}

/// What SQLite's planner does with a search: the indexes it reads, and whether it sorts all
/// or part of the candidates (`USE TEMP B-TREE`) instead of stopping at the page's end.
fn query_plan(db: &Connection, q: &str) -> String {
    plan_steps(db, &plan(q))
}

pub(super) fn plan_steps(db: &Connection, plan: &Plan) -> String {
    #[derive(serde::Deserialize)]
    struct Step {
        detail: String,
    }
    let (sql, args) = query(plan);
    let steps: Vec<Step> = crate::native::rows(db, &format!("EXPLAIN QUERY PLAN {sql}"), &args)
        .unwrap_or_else(|e| panic!("{e}"));
    steps
        .into_iter()
        .map(|s| s.detail)
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn scope_searches_read_their_index_in_the_answer_s_order() {
    let db = db();
    for (q, index) in [
        ("scope=commune:97415", "element_recent_by_commune"),
        ("scope=departement:974", "element_recent_by_departement"),
        ("scope=region:04", "element_recent_by_region"),
        ("scope=postal:97410", "element_recent_by_postal"),
        (
            "scope=departement:974&kind=event&from=2026-12-01&to=2026-12-31",
            "element_by_departement",
        ),
        ("scope=commune:97415&sort=date", "element_by_commune"),
    ] {
        let steps = query_plan(&db, q);
        assert!(steps.contains(index), "{q}: {steps}");
        assert!(
            !steps.contains("TEMP B-TREE"),
            "{q} sorts what it read: {steps}"
        );
    }
    let near = query_plan(&db, "near=-21.0096,55.2713,5");
    assert!(near.contains("element_by_geohash"), "{near}");
    // Words or tags: the scope is inside the FTS5 query, which answers in order (by relevance,
    // two such queries, each read as a co-routine, so the second only when the first ends).
    for q in [
        "q=vrac&scope=departement:974",
        "tags=vrac&scope=region:04",
        "tags=vrac,bio&tags_mode=all&scope=commune:97415&kind=organization",
    ] {
        let steps = query_plan(&db, q);
        assert!(
            steps.starts_with("SCAN f VIRTUAL TABLE")
                || steps.starts_with("COMPOUND QUERY | LEFT-MOST SUBQUERY | CO-ROUTINE"),
            "{q}: {steps}"
        );
        assert!(
            !steps.contains("TEMP B-TREE"),
            "{q} sorts what it read: {steps}"
        );
    }
}

#[test]
fn words_and_tags_within_scopes_and_kinds_find_what_each_filter_finds_alone() {
    let db = db();
    let alone = |q: &str| sorted(run(&db, &format!("{q}&limit=100")).0);
    for words in [
        "q=epicerie",
        "q=jardin",
        "tags=vrac",
        "tags=epicerie,bio",
        "tags=epicerie,vrac&tags_mode=all",
    ] {
        for filter in [
            "scope=commune:97415",
            "scope=commune:97416&scope=postal:97410",
            "scope=departement:974",
            "scope=region:04",
            "kind=organization",
            "kind=event&kind=poi",
            // On the map, the cells are inside the FTS5 query too.
            "near=-21.0096,55.2713,5",
            "near=-21.34,55.48,0.5",
            "bbox=55.2,-21.1,55.3,-21.0",
            "bbox=55.0,-21.5,56.0,-20.8",
        ] {
            let (a, b) = (alone(words), alone(filter));
            let both: Vec<String> = a.iter().filter(|id| b.contains(id)).cloned().collect();
            assert_eq!(
                alone(&format!("{words}&{filter}")),
                both,
                "{words}&{filter}"
            );
        }
    }
}

#[test]
fn results_carry_their_commune_s_name_through_renames_and_moves() {
    let db = db();
    let name = |db: &Connection, id: &str| -> Option<String> {
        crate::native::search(db, &plan("limit=100"))
            .unwrap()
            .items
            .into_iter()
            .find(|i| i.id == id)
            .and_then(|i| i.commune.name)
    };
    assert_eq!(name(&db, "vrac").as_deref(), Some("Saint-Paul"));
    db.execute(
        "UPDATE zone SET name = 'Saint-Paul (La Réunion)' WHERE id = 'commune:97415'",
        [],
    )
    .unwrap();
    assert_eq!(
        name(&db, "vrac").as_deref(),
        Some("Saint-Paul (La Réunion)")
    );
    db.execute(
        "UPDATE element SET commune_code = '97416' WHERE id = 'vrac'",
        [],
    )
    .unwrap();
    assert_eq!(name(&db, "vrac").as_deref(), Some("Saint-Pierre"));
}

#[test]
fn tags_with_ligatures_are_found_as_folded_with_or_without_a_scope() {
    let db = db();
    add(
        &db,
        &el(
            "coeur",
            "Atelier",
            &["Cœur de poète", "Ex æquo"],
            "97415",
            -21.0,
            55.27,
            60,
        ),
    );
    for q in [
        "tags=cœur de poète",
        "tags=coeur de poete&scope=commune:97415",
        "tags=Ex æquo&scope=departement:974&kind=organization",
        "tags=coeur de poete,ex aequo&tags_mode=all&scope=region:04",
        "q=atelier&tags=cœur de poète",
    ] {
        assert_eq!(run(&db, q).0, ["coeur"], "{q}");
    }
    // Too many forms for the full-text index: the folded tags alone decide.
    assert!(
        super::super::search::query(&plan("tags=oe oe oe oe&scope=commune:97415"))
            .0
            .contains("FROM element e WHERE")
    );
}

#[test]
fn by_relevance_names_come_first_then_the_newest_across_pages() {
    let db = db();
    // « Jardin partagé » (the fixture, created at 40) has the word in its name; these have it
    // in a tag only, and are newer.
    for (i, id) in ["t1", "t2", "t3"].iter().enumerate() {
        add(
            &db,
            &el(
                id,
                "Atelier",
                &["Jardins"],
                "97416",
                -21.3,
                55.48,
                50 + i as i64,
            ),
        );
    }
    add(
        &db,
        &el("n2", "Jardinerie du Sud", &[], "97416", -21.3, 55.48, 45),
    );
    let expected = ["n2", "jardin", "t3", "t2", "t1"];
    assert_eq!(run(&db, "q=jardin").0, expected);
    // Two at a time, each page resumes where the last stopped, in either tier.
    let mut seen = Vec::new();
    let mut query = "q=jardin&limit=2".to_string();
    loop {
        let (ids, next) = run(&db, &query);
        seen.extend(ids);
        match next {
            Some(cursor) => query = format!("q=jardin&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(
        run(&db, "q=jardin&scope=commune:97416&kind=organization").0,
        expected
    );
    // Newest first is the order of addition.
    assert_eq!(
        run(&db, "q=jardin&sort=recent").0,
        ["n2", "t3", "t2", "t1", "jardin"]
    );
}

#[test]
fn words_typed_in_part_or_with_ligatures_are_found() {
    let db = db();
    add(
        &db,
        &el(
            "soeurs",
            "Les Sœurs de l'accompagnement",
            &[],
            "97415",
            -21.0,
            55.27,
            60,
        ),
    );
    for (q, expected) in [
        ("q=jar", vec!["jardin"]),
        ("q=ja", vec![]),
        ("q=soeurs", vec!["soeurs"]),
        ("q=sœurs", vec!["soeurs"]),
        ("q=les soe", vec!["soeurs"]),
        // A last word longer than the prefix index's twelve letters: its first twelve.
        ("q=accompagnements", vec!["soeurs"]),
        ("q=accompagnatrice", vec![]),
    ] {
        assert_eq!(run(&db, q).0, expected, "{q}");
    }
}

/// The elements counted in each cell of 6 characters, as a `near` search reads them.
fn counted(db: &Connection, cells: &[String]) -> i64 {
    let mut four: [String; 4] = Default::default();
    four[..cells.len()].clone_from_slice(cells);
    let (sql, args) = crate::search::density(&plan(""), four);
    let rows: Vec<serde_json::Value> = crate::native::rows(db, &sql, &args).unwrap();
    rows[0]["elements"].as_i64().unwrap()
}

#[test]
fn cells_count_their_elements_through_additions_moves_and_deletions() {
    use domain::geo::{Near, Point, density};
    let db = testdb::fresh();
    let near = Near::parse("45.764,4.8357,5").unwrap();
    let block = density::block(&near);
    let centre_cell = near.center.geohash(density::PRECISION);
    let here = |dlat: f64| (near.center.lat + dlat, near.center.lon);
    for (i, (lat, lon)) in [here(0.0), here(0.0001), here(0.2)].into_iter().enumerate() {
        add(
            &db,
            &el(&format!("e{i}"), "Lieu", &[], "97415", lat, lon, i as i64),
        );
    }
    assert_eq!(counted(&db, std::slice::from_ref(&centre_cell)), 2);
    assert_eq!(
        counted(&db, &block.cells),
        2,
        "the one 22 km away is not in the block"
    );
    // Moved away, moved within its cell, unplaced, deleted: the counts follow.
    let far = Point {
        lat: 48.85,
        lon: 2.35,
    }
    .geohash(9);
    db.execute("UPDATE element SET geohash = ?1 WHERE id = 'e0'", [&far])
        .unwrap();
    assert_eq!(counted(&db, std::slice::from_ref(&centre_cell)), 1);
    assert_eq!(counted(&db, &[far[..6].to_string()]), 1);
    let neighbour = Point {
        lat: near.center.lat + 0.0001,
        lon: near.center.lon + 0.00001,
    }
    .geohash(9);
    db.execute(
        "UPDATE element SET geohash = ?1 WHERE id = 'e1'",
        [&neighbour],
    )
    .unwrap();
    assert_eq!(counted(&db, std::slice::from_ref(&centre_cell)), 1);
    db.execute("UPDATE element SET geohash = NULL WHERE id = 'e1'", [])
        .unwrap();
    assert_eq!(counted(&db, std::slice::from_ref(&centre_cell)), 0);
    db.execute("DELETE FROM element WHERE id = 'e0'", [])
        .unwrap();
    assert_eq!(counted(&db, &[far[..6].to_string()]), 0);
    // What the migration counts for an existing database is what the triggers keep.
    let cells = |sql: &str| -> Vec<(String, i64)> {
        db.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let kept = cells("SELECT cell, elements FROM element_cell WHERE elements > 0 ORDER BY cell");
    let recounted = cells(
        "SELECT substr(geohash, 1, 6), count(*) FROM element WHERE geohash IS NOT NULL GROUP BY 1 ORDER BY 1",
    );
    assert_eq!(kept, recounted);
    // The same for the placed elements of each kind, through a change of kind.
    db.execute("UPDATE element SET kind = 'poi' WHERE id = 'e2'", [])
        .unwrap();
    add(&db, &el("e3", "Lieu", &[], "97415", 45.0, 4.0, 9));
    let kinds = cells("SELECT kind, elements FROM kind_count WHERE elements > 0 ORDER BY kind");
    let by_kind = "SELECT kind, count(*) FROM element WHERE geohash IS NOT NULL GROUP BY kind";
    let in_all = "SELECT '*', count(*) FROM element WHERE geohash IS NOT NULL";
    let recounted = cells(&format!("{by_kind} UNION ALL {in_all} ORDER BY 1"));
    assert_eq!(kinds, recounted);
    let expected = [("*", 2), ("organization", 1), ("poi", 1)].map(|(k, n)| (k.to_string(), n));
    assert_eq!(kinds, expected);
    assert!(include_str!("../../../../migrations/0010_element_cells.sql")
        .contains("SELECT substr(geohash, 1, 6), count(*) FROM element WHERE geohash IS NOT NULL GROUP BY 1"));
    // A search by date counts the placed events (none here) against all placed elements.
    let (sql, args) = crate::search::density(
        &plan("near=45.764,4.8357,5&from=2026-12-01"),
        block.cells.clone(),
    );
    let by_date: Vec<domain::search::reads::Counted> =
        crate::native::rows(&db, &sql, &args).unwrap();
    assert_eq!((by_date[0].of_kinds, by_date[0].placed), (Some(0), Some(2)));
    let migration = include_str!("../../../../migrations/0013_kind_counts.sql");
    assert!(migration.contains(by_kind) && migration.contains(in_all));
}

#[test]
fn a_circle_is_gathered_from_the_geohash_index_without_sorting_unless_it_holds_too_many() {
    use domain::search::Window;
    let db = db();
    let p = plan("near=-21.0096,55.2713,5");
    let gathered = p.within(Window {
        radius_km: 0.5,
        per_km2: 100.0,
        reach_km: 0.3,
        sorted: false,
    });
    let sorted = p.within(Window {
        radius_km: 0.5,
        per_km2: 100.0,
        reach_km: 0.3,
        sorted: true,
    });
    let explain = |plan: &Plan| (plan_steps(&db, plan), query(plan).0);
    let (steps, sql) = explain(&gathered);
    assert!(
        steps.contains("element_by_geohash") && !steps.contains("TEMP B-TREE"),
        "{steps}"
    );
    assert!(!sql.contains("ORDER BY"), "{sql}");
    let (steps, sql) = explain(&sorted);
    assert!(
        steps.contains("element_by_geohash") && steps.contains("TEMP B-TREE"),
        "{steps}"
    );
    assert!(sql.contains("ORDER BY"));
}

#[test]
fn on_the_map_words_tags_and_kinds_read_only_what_lies_in_the_cells_covered() {
    let db = db();
    // Forty gardens in Saint-Pierre, 40 km from Saint-Paul's two.
    for i in 0..40 {
        let id = format!("sud{i:02}");
        let lat = -21.3400 + f64::from(i) * 0.0002;
        add(
            &db,
            &el(
                &id,
                "Jardin du Sud",
                &["Jardin"],
                "97416",
                lat,
                55.48,
                50 + i64::from(i),
            ),
        );
    }
    add(
        &db,
        &el(
            "ouest",
            "Jardin de l'Ouest",
            &["Jardin"],
            "97415",
            -21.0100,
            55.2720,
            100,
        ),
    );
    let mut kiosk = el(
        "kiosque",
        "Jardin kiosque",
        &["Jardin"],
        "97415",
        -21.0190,
        55.2790,
        101,
    );
    kiosk.kind = "poi";
    add(&db, &kiosk);
    // What the full-text index answers to the statement's own expression: the matches in the
    // cells around Saint-Paul, not the forty of Saint-Pierre.
    let matches = |q: &str| -> i64 {
        let (_, args) = query(&plan(q));
        let expression = args
            .iter()
            .find_map(|a| match a {
                Arg::Text(t) if t.contains("search_keys") => Some(t.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{q}: no full-text expression"));
        db.query_row(
            "SELECT count(*) FROM element_fts WHERE element_fts MATCH ?1",
            [expression],
            |r| r.get(0),
        )
        .unwrap()
    };
    for q in [
        "q=jardin&near=-21.0096,55.2713,3",
        "tags=jardin&near=-21.0096,55.2713,3",
        "q=jardin&bbox=55.25,-21.03,55.29,-21.0",
        "q=jardin&kind=poi&near=-21.0096,55.2713,3",
        "kind=poi&bbox=55.25,-21.03,55.29,-21.0",
    ] {
        let read = matches(q);
        assert!(
            (1..=2).contains(&read),
            "{q}: the index answered {read} matches"
        );
    }
    // Nearest first, as without the cells.
    let (ids, _) = run(&db, "q=jardin&near=-21.0096,55.2713,3");
    assert_eq!(ids, ["ouest", "kiosque"]);
    let (ids, _) = run(&db, "kind=poi&near=-21.0096,55.2713,3");
    assert_eq!(ids, ["kiosque"]);
    // A kind alone on the map reads the map's index by kind, each range once for the kind.
    let steps = query_plan(&db, "kind=poi&near=-21.0096,55.2713,3");
    assert!(
        steps.contains("element_by_kind_geohash (kind=? AND geohash>? AND geohash<?)"),
        "{steps}"
    );
    assert!(!steps.contains("element_by_geohash "), "{steps}");
    // In a box, newest first: the full-text index, which stops at the page.
    let steps = query_plan(&db, "kind=poi&kind=event&bbox=55.25,-21.03,55.29,-21.0");
    assert!(steps.starts_with("SCAN f VIRTUAL TABLE"), "{steps}");
    assert!(!steps.contains("TEMP B-TREE"), "{steps}");
    assert!(query_plan(&db, "near=-21.0096,55.2713,3").contains("element_by_geohash"));
    // Around Saint-Pierre, the page fills from the forty.
    let (ids, next) = run(&db, "q=jardin&near=-21.3400,55.48,3&limit=10");
    assert_eq!(ids.len(), 10);
    assert!(
        ids.iter().all(|id| id.starts_with("sud") || id == "jardin"),
        "{ids:?}"
    );
    assert!(next.is_some());
}

#[test]
fn every_kind_around_a_point_and_in_a_box_stays_within_d1_s_expression_depth() {
    // Kinds repeated (once each in the plan), every kind, a circle and a box: each kind times
    // each geohash range, OR-ed as a balanced tree, under D1's depth of 100 (testdb sets it).
    let db = db();
    let kinds = "kind=classified&kind=organization&kind=organization&kind=event&kind=project&kind=poi&kind=poi";
    for around in [
        "near=-21.0096,55.2713,5",
        "near=-21.0096,55.2713,100",
        "bbox=55.2,-21.1,55.4,-20.9",
    ] {
        let (ids, _) = run(&db, &format!("{kinds}&{around}"));
        assert!(ids.contains(&"vrac".to_string()), "{around}: {ids:?}");
        let (ids, _) = run(&db, &format!("{kinds}&{around}&bbox=55.2,-21.1,55.4,-20.9"));
        assert!(
            ids.contains(&"vrac".to_string()),
            "{around} in a box: {ids:?}"
        );
    }
    assert_eq!(plan(kinds).kinds.len(), 5, "each kind once");
}
