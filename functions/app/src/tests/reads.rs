//! The public reads: health, stats, zones, search and agenda, and what every answer carries.

use super::{app_on, call, get, seeded};

#[pollster::test]
async fn health_names_the_schema_version_and_the_document_is_served() {
    let app = app_on(seeded(), &[]);
    let health = get(&app, "/api/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["schema_version"], store::SCHEMA_VERSION);
    let document = get(&app, "/api/openapi.json").await;
    assert_eq!(
        document.json()["openapi"].as_str().map(|v| &v[..2]),
        Some("3.")
    );
    assert_eq!(
        document.header("cache-control"),
        Some("public, max-age=300")
    );
}

#[pollster::test]
async fn every_answer_carries_the_security_headers_and_open_reads_allow_any_site() {
    let app = app_on(seeded(), &[]);
    let answer = get(&app, "/api/search?q=vrac").await;
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    assert!(answer.header("content-security-policy").is_some());
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    let write = call(&app, "POST", "/api/search", &[], "").await;
    assert_eq!(write.header("access-control-allow-origin"), None);
}

#[pollster::test]
async fn a_method_the_path_does_not_answer_is_405_with_the_document_s_methods() {
    let app = app_on(seeded(), &[]);
    for method in ["POST", "QUERY"] {
        let answer = call(&app, method, "/api/search", &[], "").await;
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.json()["error"]["code"], "method_not_allowed");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"));
    }
}

#[pollster::test]
async fn an_unknown_path_is_the_contract_s_404_under_api_and_the_french_page_elsewhere() {
    let app = app_on(seeded(), &[]);
    let api = get(&app, "/api/nothing-here").await;
    assert_eq!(api.status, 404);
    assert_eq!(api.json()["error"]["code"], "not_found");
    let page = get(&app, "/nulle-part/").await;
    assert_eq!(page.status, 404);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.body.contains("lang=\"fr\""));
}

#[pollster::test]
async fn head_answers_as_get_without_a_body() {
    let app = app_on(seeded(), &[]);
    let answer = call(&app, "HEAD", "/api/zones?q=saint", &[], "").await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.is_empty());
    assert!(
        answer
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
}

#[pollster::test]
async fn zones_are_found_by_name_code_point_and_id() {
    let app = app_on(seeded(), &[]);
    let by_name = get(&app, "/api/zones?q=saint-p&kind=commune").await.json();
    let names: Vec<&str> = by_name["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Saint-Paul", "Saint-Pierre"]);
    let one = get(&app, "/api/zones/commune:97415").await;
    assert_eq!(one.json()["code"], "97415");
    assert_eq!(one.header("cache-control"), Some("public, max-age=3600"));
    assert_eq!(get(&app, "/api/zones/commune:00000").await.status, 404);
    assert_eq!(get(&app, "/api/zones/commune:97415.txt").await.status, 404);
    let no_point = get(&app, "/api/zones/at?lat=abc&lon=55").await;
    assert_eq!(no_point.status, 400);
    assert_eq!(get(&app, "/api/zones?limit=0").await.status, 400);
}

#[pollster::test]
async fn search_finds_in_a_scope_and_exports_with_the_next_page_linked() {
    let app = app_on(seeded(), &[("SITE_URL", "https://communs.example")]);
    let found = get(&app, "/api/search?scope=commune:97415&q=vrac").await;
    assert_eq!(found.status, 200);
    let items = found.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "Épicerie du Vrac");
    assert!(
        found
            .header("server-timing")
            .unwrap()
            .contains("rows_returned=")
    );

    let page = get(&app, "/api/search.geojson?scope=commune:97415&limit=1").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("application/geo+json; charset=utf-8")
    );
    assert_eq!(page.json()["features"].as_array().unwrap().len(), 1);
    let link = page.header("link").expect("a next page");
    assert!(
        link.contains("cursor=") && link.contains("rel=\"next\""),
        "{link}"
    );

    assert_eq!(get(&app, "/api/search?scope=nowhere").await.status, 400);
    let unknown = get(&app, "/api/search?scope=commune:00000").await;
    assert_eq!(unknown.status, 400);
}

#[pollster::test]
async fn the_agenda_holds_events_only() {
    let app = app_on(seeded(), &[]);
    let agenda = get(&app, "/api/agenda?scope=commune:97415").await;
    assert_eq!(agenda.status, 200);
    assert_eq!(agenda.json()["items"].as_array().unwrap().len(), 0);
    let ics = get(&app, "/api/agenda.ics?scope=commune:97415").await;
    assert!(ics.body.starts_with("BEGIN:VCALENDAR"), "{}", ics.body);
}

#[pollster::test]
async fn stats_count_what_is_stored() {
    let app = app_on(seeded(), &[]);
    let stats = get(&app, "/api/stats").await;
    assert_eq!(stats.status, 200);
    assert_eq!(stats.json()["associations"], 2, "{}", stats.body);
}
