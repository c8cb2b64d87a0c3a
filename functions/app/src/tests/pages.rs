//! Pages rendered on demand with the static build's templates.

use super::{app_on, call, get, seeded};

#[pollster::test]
async fn an_element_page_is_rendered_and_an_unknown_one_is_the_french_404() {
    let app = app_on(seeded(), &[]);
    let page = get(&app, "/e/vrac/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Épicerie du Vrac"));
    assert_eq!(page.header("cache-control"), Some("public, max-age=300"));
    let current = get(&app, "/e/vrac/actuel/").await;
    assert_eq!(current.header("x-robots-tag"), Some("noindex"));
    assert_eq!(current.header("cache-control"), Some("no-store"));
    let missing = get(&app, "/e/nothing/").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
}

#[pollster::test]
async fn the_search_page_lists_without_javascript_and_says_an_unknown_place() {
    let app = app_on(seeded(), &[]);
    let found = get(&app, "/recherche/?q=jardin&ou=Saint-Paul").await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains("Jardin partagé"));
    assert!(!found.body.contains("Épicerie du Vrac"));
    let nowhere = get(&app, "/recherche/?ou=Atlantide").await;
    assert_eq!(nowhere.status, 400);
    assert!(nowhere.body.contains("Lieu introuvable"));
}

#[pollster::test]
async fn a_commune_page_lists_its_elements() {
    let app = app_on(seeded(), &[]);
    let page = get(&app, "/communes/97415/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Saint-Paul") && page.body.contains("Jardin partagé"));
    assert_eq!(get(&app, "/communes/00000/").await.status, 404);
}

#[pollster::test]
async fn choosing_a_territory_remembers_it_in_a_cookie_and_goes_back() {
    let app = app_on(seeded(), &[]);
    let chosen = get(&app, "/territoire?ou=Saint-Paul&retour=/agenda/").await;
    assert_eq!(chosen.status, 303);
    assert_eq!(chosen.header("location"), Some("/agenda/"));
    let cookie = chosen.header("set-cookie").unwrap();
    assert!(cookie.contains("commune:97415"), "{cookie}");
    let too_big = get(&app, "/territoire?ou=974").await;
    assert_eq!(too_big.status, 400);
    // The visitor's own territory makes the page theirs alone.
    let mine = call(
        &app,
        "GET",
        "/agenda/",
        &[("Cookie", cookie.split(';').next().unwrap())],
        "",
    )
    .await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.header("cache-control"), Some("private, no-cache"));
}

#[pollster::test]
async fn the_embeddable_map_has_its_own_policy_and_other_pages_the_site_s() {
    let app = app_on(seeded(), &[]);
    let map = get(&app, "/carte/integree/?titre=Ici").await;
    assert_eq!(
        map.header("content-security-policy"),
        Some(domain::security::EMBED_CONTENT_SECURITY_POLICY)
    );
    let live = get(&app, "/live/").await;
    assert_eq!(live.status, 200);
    assert_eq!(
        live.header("content-security-policy"),
        Some(domain::security::CONTENT_SECURITY_POLICY)
    );
}
