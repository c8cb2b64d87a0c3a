//! Writes through the application: the CSRF guard, sessions, limits, and what is stored.

use super::{app_on, call, get, seeded, signed_in};

const SITE: &str = "http://communs.test";

fn json_from_site(cookie: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", "application/json".into()),
        ("Origin", SITE.into()),
        ("Host", "communs.test".into()),
        ("Cookie", cookie.into()),
    ]
}

async fn post(
    app: &app::App,
    path: &str,
    headers: &[(&'static str, String)],
    body: &str,
) -> super::Answer {
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    call(app, "POST", path, &headers, body).await
}

use crate as app;

#[pollster::test]
async fn a_post_needs_a_session_and_the_site_s_origin_then_appears_in_the_feed() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "ana@example.org");
    let app = app_on(db, &[]);
    let body = r#"{"scope": "commune:97415", "text": "Marché demain matin"}"#;

    let signed_out = post(&app, "/api/posts", &json_from_site(""), body).await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.body);

    let mut elsewhere = json_from_site(&cookie);
    elsewhere[1] = ("Origin", "https://evil.example".into());
    assert_eq!(post(&app, "/api/posts", &elsewhere, body).await.status, 403);

    let posted = post(&app, "/api/posts", &json_from_site(&cookie), body).await;
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(posted.json()["scope"], "commune:97415");

    let feed = get(&app, "/api/live?scope=commune:97415").await.json();
    assert_eq!(feed["items"][0]["text"], "Marché demain matin");
    let atom = get(&app, "/api/live.atom?scope=commune:97415").await;
    assert!(atom.body.contains("<feed") && atom.body.contains("Marché demain matin"));
}

#[pollster::test]
async fn a_post_to_an_unknown_zone_or_with_a_bad_body_is_refused_and_nothing_is_stored() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "ana@example.org");
    let app = app_on(db, &[]);
    let headers = json_from_site(&cookie);
    let unknown = post(
        &app,
        "/api/posts",
        &headers,
        r#"{"scope": "commune:00000", "text": "x"}"#,
    )
    .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json()["error"]["field"], "scope");
    let broken = post(&app, "/api/posts", &headers, "{").await;
    assert_eq!(broken.status, 400);
    let mut text = headers.clone();
    text[0] = ("Content-Type", "text/plain".into());
    assert_eq!(post(&app, "/api/posts", &text, "{}").await.status, 415);
    // The feed shows the territory's new elements, and no post.
    let feed = get(&app, "/api/live").await.json();
    let posts = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["text"].is_string());
    assert_eq!(posts.count(), 0, "{feed}");
}

#[pollster::test]
async fn posting_past_the_limit_is_429_with_retry_after() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "ana@example.org");
    let app = app_on(db, &[]);
    let headers = json_from_site(&cookie);
    let body = r#"{"scope": "commune:97415", "text": "Encore"}"#;
    let mut statuses = Vec::new();
    for _ in 0..domain::limits::POSTS_PER_PERSON.max {
        statuses.push(post(&app, "/api/posts", &headers, body).await.status);
    }
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let refused = post(&app, "/api/posts", &headers, body).await;
    assert_eq!(refused.status, 429);
    assert!(refused.header("retry-after").is_some());
}

#[pollster::test]
async fn an_element_is_shown_in_json_and_json_ld() {
    let app = app_on(seeded(), &[("SITE_URL", "https://communs.example")]);
    let json = get(&app, "/api/elements/vrac").await;
    assert_eq!(json.json()["name"], "Épicerie du Vrac");
    let ld = get(&app, "/api/elements/vrac.jsonld").await;
    assert_eq!(ld.status, 200, "{}", ld.body);
    assert!(ld.json()["@context"].is_string() || ld.json()["@context"].is_array());
    assert_eq!(get(&app, "/api/elements/nothing").await.status, 404);
}
