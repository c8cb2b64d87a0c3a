//! Imports through the application: who may import, the dry run, the write and its update.

use super::{app_on, call, get, seeded, signed_in};

const CSV: &str = "id,kind,type,name,commune_code,postal_code,lat,lon,tags,short_description\n\
s1,organization,NGO,Les Amis du Lagon,97415,97460,-21.0096,55.2707,mer | plage,Plages propres\n\
s2,organization,NGO,,97415,,,,,Sans nom\n\
s3,poi,sharedLibrary,Boîte à livres,97415,,,,livres,\n";

async fn send(app: &crate::App, cookie: &str, query: &str, body: &str) -> super::Answer {
    let headers = [
        ("Content-Type", "text/csv"),
        ("Origin", "http://communs.test"),
        ("Host", "communs.test"),
        ("Cookie", cookie),
    ];
    call(
        app,
        "POST",
        &format!("/api/imports?{query}"),
        &headers,
        body,
    )
    .await
}

#[pollster::test]
async fn an_instance_admin_imports_after_a_dry_run_and_a_second_import_updates() {
    let mut db = seeded();
    let admin = signed_in(&mut db, "admin@communs.test");
    let ana = signed_in(&mut db, "ana@example.org");
    let app = app_on(db, &[("ADMIN_EMAILS", "admin@communs.test")]);
    assert_eq!(send(&app, &ana, "format=csv", CSV).await.status, 403);
    assert_eq!(send(&app, "", "format=csv", CSV).await.status, 401);
    assert_eq!(send(&app, &admin, "format=xls", CSV).await.status, 400);

    let dry = send(&app, &admin, "format=csv&source=essai&dry_run=true", CSV)
        .await
        .json();
    assert_eq!(
        (dry["rows"].as_i64(), dry["accepted"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!(dry["rejected"][0]["field"], "name");
    let lagon = "/api/search?q=lagon&scope=commune:97415";
    assert_eq!(
        get(&app, lagon).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let done = send(&app, &admin, "format=csv&source=essai", CSV)
        .await
        .json();
    assert_eq!(
        (done["created"].as_i64(), done["updated"].as_i64()),
        (Some(2), Some(0))
    );
    let found = get(&app, lagon).await.json();
    assert_eq!(
        found["items"][0]["tags"],
        serde_json::json!(["mer", "plage"])
    );

    let changed = CSV.replace("Plages propres", "Des plages propres");
    let again = send(&app, &admin, "format=csv&source=essai", &changed)
        .await
        .json();
    assert_eq!(
        (again["created"].as_i64(), again["updated"].as_i64()),
        (Some(0), Some(2))
    );
    let id = found["items"][0]["id"].as_str().unwrap();
    let element = get(&app, &format!("/api/elements/{id}")).await.json();
    assert_eq!(element["short_description"], "Des plages propres");
}
