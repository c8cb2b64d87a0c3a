use super::*;
use crate::geo::{Point, density};

fn plan(query: &str) -> Result<Plan, ApiError> {
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    Plan::from_query(&pairs)
}

fn field(query: &str) -> String {
    plan(query).unwrap_err().field.unwrap_or_default()
}

fn row(id: &str, lat: f64, lon: f64, created_at: i64) -> ResultRow {
    ResultRow {
        id: id.into(),
        slug: id.into(),
        kind: "organization".into(),
        type_: Some("NGO".into()),
        name: id.into(),
        short_description: None,
        lat: Some(lat),
        lon: Some(lon),
        commune_code: "97415".into(),
        commune_name: Some("Saint-Paul".into()),
        tags: "[\"Vrac\"]".into(),
        start_at: None,
        end_at: None,
        created_at,
        seq: created_at,
        rank: None,
        logo: (id == "logo").then(|| "pic_1-small.webp".into()),
    }
}

#[test]
fn a_result_shows_its_logo_small_from_the_site_root() {
    let page = plan("")
        .unwrap()
        .page(vec![row("logo", -21.0, 55.2, 2), row("e2", -21.0, 55.2, 1)]);
    assert_eq!(
        page.items[0].logo.as_deref(),
        Some("/media/pic_1-small.webp")
    );
    assert_eq!(page.items[1].logo, None);
    let csv = crate::export::table::csv(&page.items, "https://communs.example");
    assert!(csv.lines().next().unwrap().ends_with(",url,image"));
    assert!(csv.contains(",https://communs.example/media/pic_1-small.webp"));
}

#[test]
fn reads_every_parameter() {
    let p = plan("q=Épicerie vrac&kind=organization&kind=poi&type=NGO&tags=Vrac,BIO&tags_mode=all&scope=commune:97415&scope=departement:974&limit=5").unwrap();
    assert_eq!(p.text.as_deref(), Some("\"epicerie\" AND \"vrac\"*"));
    assert_eq!(p.kinds, [Kind::Organization, Kind::Poi]);
    assert_eq!(p.types, ["NGO"]);
    assert_eq!(p.tags, ["vrac", "bio"]);
    assert_eq!(p.tags_mode, TagsMode::All);
    assert_eq!(p.scopes.len(), 2);
    assert_eq!(p.limit, 5);
    assert_eq!(p.sort, Sort::Relevance);
}

#[test]
fn the_default_order_follows_the_question() {
    assert_eq!(plan("").unwrap().sort, Sort::Recent);
    assert_eq!(plan("q=vrac").unwrap().sort, Sort::Relevance);
    assert_eq!(plan("near=-21,55.3,5").unwrap().sort, Sort::Distance);
    assert_eq!(plan("from=2026-12-01").unwrap().sort, Sort::Date);
    assert!(plan("from=2026-12-01").unwrap().events_only());
    assert_eq!(plan("q=vrac&sort=recent").unwrap().sort, Sort::Recent);
}

#[test]
fn fts_syntax_cannot_get_through() {
    let p = plan("q=\"a\" OR NEAR(b) *").unwrap();
    assert_eq!(
        p.text.as_deref(),
        Some("\"a\" AND \"or\" AND \"near\" AND \"b\"")
    );
    assert_eq!(plan("q=---").unwrap().text, None);
}

#[test]
fn the_last_word_is_a_prefix_the_index_holds() {
    let text = |q: &str| plan(q).unwrap().text.unwrap();
    assert_eq!(text("q=jar"), "\"jar\"*");
    assert_eq!(
        text("q=le ja"),
        "\"le\" AND \"ja\"",
        "too short for a prefix"
    );
    assert_eq!(
        text("q=Accompagnements"),
        "\"accompagneme\"*",
        "the prefix index's longest"
    );
    assert_eq!(text("q=Cœur vert"), "(\"coeur\" OR \"cœur\") AND \"vert\"*");
    assert_eq!(text("q=sœur"), "(\"soeur\"* OR \"sœur\"*)");
}

#[test]
fn bad_parameters_name_their_field() {
    for (query, expected) in [
        ("kind=person", "kind"),
        ("scope=ville:paris", "scope"),
        ("scope=commune:123", "scope"),
        ("near=1,2", "near"),
        ("near=1,2,500", "near"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=10,0,5,1", "bbox"),
        ("from=hier", "from"),
        ("to=2026-13-01", "to"),
        ("from=2026-12-02&to=2026-12-01", "to"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("sort=random", "sort"),
        ("tags_mode=some", "tags_mode"),
        ("cursor=!!!", "cursor"),
    ] {
        assert_eq!(field(query), expected, "{query}");
    }
    let many = (0..21)
        .map(|i| format!("kind=organization{i}"))
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(field(&many), "kind");
}

#[test]
fn an_order_with_nothing_to_order_by_is_the_default_one() {
    for (query, sort) in [
        ("sort=relevance", Sort::Recent),
        ("sort=distance", Sort::Recent),
        ("sort=distance&q=jardin", Sort::Relevance),
        ("sort=relevance&from=2026-12-01", Sort::Date),
        ("sort=relevance&q=jardin", Sort::Relevance),
        ("sort=distance&near=-21.0,55.3,5", Sort::Distance),
    ] {
        assert_eq!(plan(query).unwrap().sort, sort, "{query}");
    }
}

#[test]
fn dates_accept_days_and_times() {
    let p = plan("from=2026-12-01&to=2026-12-01").unwrap();
    assert_eq!(p.to.unwrap() - p.from.unwrap(), 86_399);
    let p = plan("from=2026-12-01T10:00:00%2B04:00")
        .unwrap_or_else(|_| plan("from=2026-12-01T06:00:00Z").unwrap());
    assert!(p.from.is_some());
}

#[test]
fn a_cursor_is_opaque_and_tied_to_its_order() {
    let cursor = Cursor {
        sort: Sort::Recent,
        key: 100.0,
        id: "e_1".into(),
        row: 0,
    };
    let encoded = cursor.encode();
    assert!(!encoded.contains("e_1"));
    assert_eq!(Cursor::decode(&encoded, Sort::Recent).unwrap(), cursor);
    assert!(Cursor::decode(&encoded, Sort::Date).is_err());
}

#[test]
fn near_pages_show_distances_and_continue_from_the_statement_s_own_key() {
    // The store filters the circle and orders by squared distance (its `rank` column); the
    // page shows kilometres and its cursor repeats that key exactly.
    let p = plan("near=-21.0,55.27,5&limit=2").unwrap();
    let near = p.near.unwrap();
    let keyed = |id: &str, lat: f64| {
        let mut r = row(id, lat, 55.27, 1);
        r.rank = Some(near.distance_km(&Point { lat, lon: 55.27 }).powi(2));
        r
    };
    let rows = vec![keyed("a", -21.001), keyed("b", -21.02), keyed("c", -21.03)];
    let page = p.page(rows.clone());
    let ids: Vec<&str> = page.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let km = page.items[1].distance_km.unwrap();
    assert!((km - 2.22).abs() < 0.01, "{km}");
    let cursor = Cursor::decode(page.next_cursor.as_deref().unwrap(), Sort::Distance).unwrap();
    assert_eq!(
        (cursor.key, cursor.row),
        (rows[1].rank.unwrap(), rows[1].seq)
    );
}

#[test]
fn a_page_says_where_the_next_starts_only_when_there_is_one() {
    let p = plan("limit=2").unwrap();
    let page = p.page(vec![
        row("c", 0.0, 0.0, 30),
        row("b", 0.0, 0.0, 20),
        row("a", 0.0, 0.0, 10),
    ]);
    assert_eq!(page.items.len(), 2);
    let cursor = Cursor::decode(page.next_cursor.as_deref().unwrap(), Sort::Recent).unwrap();
    assert_eq!((cursor.key, cursor.row), (20.0, 20));
    assert_eq!(p.page(vec![row("a", 0.0, 0.0, 10)]).next_cursor, None);
    let item = serde_json::to_value(&p.page(vec![row("a", 0.0, 0.0, 10)]).items[0]).unwrap();
    assert_eq!(item["commune"]["name"], "Saint-Paul");
    assert_eq!(item["tags"], serde_json::json!(["Vrac"]));
    assert!(item.get("distance_km").is_none());
}

fn lyon_block(p: &Plan) -> density::Block {
    density::block(&p.near.unwrap())
}

#[test]
fn a_search_nearest_first_sizes_its_first_circle_for_a_page_at_the_density_counted() {
    let p = plan("near=45.764,4.8357,5&limit=20").unwrap();
    let block = lyon_block(&p);
    // 300 elements a km² (a city centre): a circle holding 1.4 pages (29.4).
    let first = p
        .first_window((300.0 * block.area_km2) as i64, &block)
        .unwrap();
    let holds = 300.0 * PI * first.radius_km.powi(2);
    assert!((holds - 29.4).abs() < 0.5, "{holds}");
    assert!((first.per_km2 - 300.0).abs() < 1.0 && !first.sorted);
    // Within the counted block the density guides the cover; beyond it, it says too little.
    assert_eq!(first.density(), Some(first.per_km2));
    let wide = Window {
        radius_km: 2.0 * block.reach_km,
        ..first
    };
    assert_eq!(wide.density(), None);
    assert_eq!(
        Window {
            per_km2: 0.0,
            ..first
        }
        .density(),
        None,
        "nothing counted"
    );
    assert_eq!(p.within(first).near.unwrap().radius_km, first.radius_km);
    assert_eq!(p.within(first).window, Some(first));
    // Sparse: never past the radius. Dense: never under 20 m.
    let two_km = plan("near=45.764,4.8357,2&limit=20").unwrap();
    assert_eq!(two_km.first_window(1, &block).unwrap().radius_km, 2.0);
    let dense = p.first_window(10_000_000, &block).unwrap();
    assert!((dense.radius_km - 0.02).abs() < 1e-9);
    // Nothing counted around the centre: a circle as large as the block, to start with.
    let empty = p.first_window(0, &block).unwrap();
    assert!((PI * empty.radius_km.powi(2) - block.area_km2).abs() < 1e-6);
    // A later page starts past the cursor's row: the circle holds the rows before it too.
    let later = plan(&format!(
        "near=45.764,4.8357,5&limit=20&cursor={}",
        Cursor {
            sort: Sort::Distance,
            key: 0.25,
            id: String::new(),
            row: 7
        }
        .encode()
    ))
    .unwrap();
    let next_page = later
        .first_window((300.0 * block.area_km2) as i64, &block)
        .unwrap();
    let beyond = 300.0 * PI * (next_page.radius_km.powi(2) - 0.25);
    assert!((beyond - 29.4).abs() < 0.5, "{beyond}");
}

#[test]
fn a_search_nearest_first_widens_its_circle_only_while_it_holds_less_than_a_page() {
    let p = plan("near=45.764,4.8357,5&limit=20").unwrap();
    let window = |radius_km| Window {
        radius_km,
        per_km2: 300.0,
        reach_km: 0.3,
        sorted: false,
    };
    let first = window(5.0 / 64.0);
    // A full page (limit + 1 rows) in the circle: they are the nearest, stop.
    assert_eq!(p.next_window(first, 21), None);
    // Five found: the next circle is sized for 21 at that density (about 2.5 times as wide);
    // nearly a page: it still grows by a third.
    let next = p.next_window(first, 5).unwrap();
    assert!(next.radius_km >= 2.0 * first.radius_km && next.radius_km < 3.0 * first.radius_km);
    assert_eq!(next.per_km2, 300.0, "the index's density stays the block's");
    let close = p.next_window(first, 20).unwrap();
    assert!((close.radius_km / first.radius_km - 4.0 / 3.0).abs() < 1e-9);
    // Nothing found: four times wider (a count of nothing says little), never past the
    // radius; the radius read is the end.
    assert!((p.next_window(first, 0).unwrap().radius_km / first.radius_km - 4.0).abs() < 1e-9);
    assert_eq!(p.next_window(window(4.0), 0), Some(window(5.0)));
    assert_eq!(p.next_window(window(5.0), 3), None);
    // Any other order is one statement.
    let block = lyon_block(&p);
    assert!(
        plan("near=45.764,4.8357,5&sort=recent")
            .unwrap()
            .first_window(9, &block)
            .is_none()
    );
    assert!(
        plan("scope=commune:69123")
            .unwrap()
            .first_window(9, &block)
            .is_none()
    );
}

fn ranked(id: &str, rank: f64, seq: i64) -> ResultRow {
    ResultRow {
        rank: Some(rank),
        seq,
        ..row(id, 45.764, 4.8357, seq)
    }
}

#[test]
fn a_circle_gathered_unsorted_is_put_nearest_first_then_by_rowid_and_cut_to_a_page() {
    let p = plan("near=45.764,4.8357,5&limit=2").unwrap();
    let rows = vec![
        ranked("c", 0.5, 1),
        ranked("a", 0.1, 9),
        ranked("d", 0.9, 2),
        ranked("b", 0.1, 3),
    ];
    let ids: Vec<String> = p.nearest(rows).into_iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        ["b", "a", "c"],
        "two and the one that says there is more"
    );
}

#[test]
fn the_reads_of_a_search_nearest_first_count_then_read_one_circle() {
    use reads::Step;
    let p = plan("near=45.764,4.8357,5&limit=2").unwrap();
    let (mut reads, first) = p.reads();
    let Step::Count(cells) = first else {
        panic!("{first:?}")
    };
    assert_eq!(cells, lyon_block(&p).cells);
    let Step::Read(circle) = reads.counted(counted(40)) else {
        panic!()
    };
    let window = circle.window.unwrap();
    assert!(!window.sorted && window.radius_km < 5.0);
    // Enough in the circle: sorted here, and that is the answer.
    let Step::Done(rows) = reads.found(vec![
        ranked("far", 0.9, 1),
        ranked("near", 0.1, 2),
        ranked("mid", 0.5, 3),
        ranked("x", 0.95, 4),
    ]) else {
        panic!()
    };
    let ids: Vec<String> = rows.into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["near", "mid", "far"]);

    // Too few: a wider circle. Too many to gather (4 pages): the same circle, sorted by SQLite.
    let (mut reads, _) = p.reads();
    let Step::Read(small) = reads.counted(counted(40)) else {
        panic!()
    };
    let Step::Read(wider) = reads.found(vec![ranked("a", 0.1, 1)]) else {
        panic!()
    };
    assert!(wider.near.unwrap().radius_km > small.near.unwrap().radius_km);
    let full: Vec<ResultRow> = (0..12).map(|i| ranked("r", i as f64, i)).collect();
    let Step::Read(again) = reads.found(full) else {
        panic!()
    };
    assert_eq!(again.near.unwrap().radius_km, wider.near.unwrap().radius_km);
    assert!(again.window.unwrap().sorted);
    assert!(
        matches!(reads.found(vec![ranked("a", 0.1, 1), ranked("b", 0.2, 2), ranked("c", 0.3, 3)]), Step::Done(r) if r.len() == 3)
    );
}

fn counted(elements: i64) -> reads::Counted {
    reads::Counted {
        elements,
        ..Default::default()
    }
}

#[test]
fn a_search_of_some_kinds_sizes_its_first_circle_by_their_share() {
    use reads::{Counted, Step};
    let circle = |q: &str, counted: Counted| {
        let p = plan(q).unwrap();
        let (mut reads, _) = p.reads();
        let Step::Read(circle) = reads.counted(counted) else {
            panic!()
        };
        circle.window.unwrap().radius_km
    };
    let all = circle("near=45.764,4.8357,5", counted(400));
    // A quarter of the placed elements are events: the circle holds four times the area.
    let events = Counted {
        elements: 400,
        of_kinds: Some(250),
        placed: Some(1000),
    };
    assert_eq!(events.of_search(), 100);
    let of_events = circle("near=45.764,4.8357,5&kind=event", events);
    assert!(
        (of_events / all - 2.0).abs() < 0.01,
        "{of_events} against {all}"
    );
    // Nothing placed yet, or counts out of step: the block's own count.
    let empty = Counted {
        elements: 7,
        of_kinds: Some(3),
        placed: Some(0),
    };
    assert_eq!(empty.of_search(), 7);
    let odd = Counted {
        elements: 10,
        of_kinds: Some(50),
        placed: Some(20),
    };
    assert_eq!(odd.of_search(), 10);
}

#[test]
fn a_search_by_date_keeps_events_unless_its_kinds_leave_them_out() {
    let kept = |q: &str| plan(q).unwrap().kinds_kept();
    assert_eq!(kept("near=45.764,4.8357,5"), Some(vec![]));
    assert_eq!(
        kept("kind=poi&kind=event"),
        Some(vec![Kind::Poi, Kind::Event])
    );
    assert_eq!(
        kept("near=45.764,4.8357,5&from=2026-12-01"),
        Some(vec![Kind::Event])
    );
    assert_eq!(
        kept("kind=event&kind=poi&sort=date"),
        Some(vec![Kind::Event])
    );
    assert_eq!(kept("kind=poi&from=2026-12-01"), None);
}

#[test]
fn any_other_search_is_one_statement_after_its_zones_are_looked_up() {
    use crate::zone::ScopeRow;
    use reads::Step;
    let p = plan("scope=commune:69123&scope=postal:69100").unwrap();
    let (mut reads, first) = p.reads();
    let Step::Zones(zones) = first else {
        panic!("{first:?}")
    };
    let ids: Vec<String> = zones.iter().map(|z| z.as_string()).collect();
    assert_eq!(ids, ["commune:69123", "postal:69100"]);
    let rows = [
        ScopeRow {
            id: "commune:69123".into(),
            members: Some("69381".into()),
        },
        ScopeRow {
            id: "postal:69100".into(),
            members: Some("69266".into()),
        },
    ];
    let Ok(Step::Read(statement)) = reads.resolved(&rows) else {
        panic!()
    };
    assert_eq!(statement.window, None);
    let areas: Vec<String> = statement
        .zone_terms()
        .iter()
        .map(|z| z.as_string())
        .collect();
    assert_eq!(
        areas,
        [
            "commune:69123",
            "commune:69381",
            "postal:69100",
            "commune:69266"
        ]
    );
    assert!(matches!(reads.found(vec![row("a", 0.0, 0.0, 1)]), Step::Done(r) if r.len() == 1));

    // A zone the database does not know.
    let (mut reads, _) = p.reads();
    let error = reads.resolved(&rows[..1]).unwrap_err();
    assert_eq!(
        (error.code.code(), error.field.as_deref()),
        ("unknown_zone", Some("scope"))
    );

    // No zone named: the statement at once.
    let (_, first) = plan("q=jardin").unwrap().reads();
    assert!(matches!(first, Step::Read(_)));

    // A zone read whole (a zone's page) says what it stands for: no lookup again.
    let mut lyon = crate::zone::commune_row("69123", None);
    lyon.arrondissements = Some("69381,69383".into());
    let mut page = plan("scope=commune:69123").unwrap();
    page.areas = crate::zone::areas(&page.scopes, &[(&lyon).into()], "scope").unwrap();
    let (_, first) = page.reads();
    let Step::Read(statement) = first else {
        panic!("{first:?}")
    };
    assert_eq!(statement.zone_terms().len(), 3);
}
