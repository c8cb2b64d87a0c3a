use super::*;
use crate::geo::Point;

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
    }
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
        ("sort=distance", "sort"),
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

#[test]
fn a_search_nearest_first_widens_its_circle_only_while_it_holds_less_than_a_page() {
    let p = plan("near=45.764,4.8357,5&limit=20").unwrap();
    let first = p.first_window().unwrap();
    assert!((first - 5.0 / 64.0).abs() < 1e-9);
    assert_eq!(p.within(first).near.unwrap().radius_km, first);
    // A full page (limit + 1 rows) in the circle: they are the nearest, stop.
    assert_eq!(p.next_window(first, 21), None);
    // Five found: the next circle is sized for 21 at that density (about 2.5 times as wide);
    // nearly a page: it still grows by a third.
    let next = p.next_window(first, 5).unwrap();
    assert!(next >= 2.0 * first && next < 3.0 * first, "{next}");
    let close = p.next_window(first, 20).unwrap();
    assert!((close / first - 4.0 / 3.0).abs() < 1e-9, "{close}");
    // Nothing found: four times wider (a count of nothing says little), never past the
    // radius; the radius read is the end.
    assert!((p.next_window(first, 0).unwrap() / first - 4.0).abs() < 1e-9);
    assert_eq!(p.next_window(4.0, 0), Some(5.0));
    assert_eq!(p.next_window(5.0, 3), None);
    // Any other order is one statement.
    assert!(
        plan("near=45.764,4.8357,5&sort=recent")
            .unwrap()
            .first_window()
            .is_none()
    );
    assert!(
        plan("scope=commune:69123")
            .unwrap()
            .first_window()
            .is_none()
    );
}
