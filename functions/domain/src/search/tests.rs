use super::*;

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
        rank: None,
    }
}

#[test]
fn reads_every_parameter() {
    let p = plan("q=Épicerie vrac&kind=organization&kind=poi&type=NGO&tags=Vrac,BIO&tags_mode=all&scope=commune:97415&scope=departement:974&limit=5").unwrap();
    assert_eq!(p.text.as_deref(), Some("\"epicerie\" \"vrac\"*"));
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
    assert_eq!(p.text.as_deref(), Some("\"a\" \"or\" \"near\" \"b\"*"));
    assert_eq!(plan("q=---").unwrap().text, None);
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
    };
    let encoded = cursor.encode();
    assert!(!encoded.contains("e_1"));
    assert_eq!(Cursor::decode(&encoded, Sort::Recent).unwrap(), cursor);
    assert!(Cursor::decode(&encoded, Sort::Date).is_err());
}

#[test]
fn near_pages_filter_by_exact_distance_and_sort_by_it() {
    let p = plan("near=-21.0,55.27,5&limit=2").unwrap();
    let rows = vec![
        row("far", -21.2, 55.27, 1), // ~22 km: out
        row("b", -21.02, 55.27, 2),  // ~2.2 km
        row("a", -21.001, 55.27, 3), // ~0.1 km
        row("c", -21.03, 55.27, 4),  // ~3.3 km
    ];
    let page = p.page(rows.clone());
    let ids: Vec<&str> = page.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert!(page.items[0].distance_km.unwrap() < 0.2);
    let next = plan(&format!(
        "near=-21.0,55.27,5&limit=2&cursor={}",
        page.next_cursor.unwrap()
    ))
    .unwrap();
    let second = next.page(rows);
    assert_eq!(
        second
            .items
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
    assert_eq!(second.next_cursor, None);
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
    assert_eq!((cursor.key, cursor.id.as_str()), (20.0, "b"));
    assert_eq!(p.page(vec![row("a", 0.0, 0.0, 10)]).next_cursor, None);
    let item = serde_json::to_value(&p.page(vec![row("a", 0.0, 0.0, 10)]).items[0]).unwrap();
    assert_eq!(item["commune"]["name"], "Saint-Paul");
    assert_eq!(item["tags"], serde_json::json!(["Vrac"]));
    assert!(item.get("distance_km").is_none());
}
