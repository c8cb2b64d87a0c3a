//! Elements through the application: creation, edition, deletion, links and members.

use super::{Answer, app_on, get, seeded, signed_in, write};
use crate::App;
use serde_json::{Value, json};

const VRAC: &str = r#"{"kind": "organization", "name": "Épicerie du Vrac", "type": "LocalBusiness",
    "tags": ["Épicerie", "Vrac"],
    "address": {"street": "12 rue du Port", "postal_code": "97460", "commune_code": "97415"}}"#;

/// An app with Ana (who creates) and Bruno (who does not) signed in.
fn two_people() -> (App, String, String) {
    let mut db = seeded();
    let ana = signed_in(&mut db, "ana@example.org");
    let bruno = signed_in(&mut db, "bruno@example.org");
    (app_on(db, &[]), ana, bruno)
}

async fn created(app: &App, cookie: &str, body: &str) -> Value {
    let answer = write(app, "POST", "/api/elements", cookie, body).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.json()
}

fn field(answer: &Answer) -> Value {
    answer.json()["error"]["field"].clone()
}

#[pollster::test]
async fn a_signed_in_person_creates_an_element_placed_in_its_commune_with_a_free_slug() {
    let (app, ana, _) = two_people();
    assert_eq!(
        write(&app, "POST", "/api/elements", "", VRAC).await.status,
        401
    );
    let first = created(&app, &ana, VRAC).await;
    assert_eq!(first["slug"], "epicerie-du-vrac");
    assert_eq!(first["departement"], "974");
    assert_eq!(first["address"]["locality"], "Saint-Paul");
    let second = created(&app, &ana, VRAC).await;
    assert_eq!(second["slug"], "epicerie-du-vrac-2");
    let read = get(&app, "/api/elements/epicerie-du-vrac").await.json();
    assert_eq!(read["id"], first["id"]);
}

#[pollster::test]
async fn a_bad_element_is_refused_on_its_field_and_nothing_is_written() {
    let (app, ana, _) = two_people();
    let mut body: Value = serde_json::from_str(VRAC).unwrap();
    body["address"]["commune_code"] = json!("97499");
    let unknown = write(&app, "POST", "/api/elements", &ana, &body.to_string()).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(field(&unknown), "address.commune_code");
    body["address"] = json!({"commune_code": "97415", "postal_code": "97410"});
    let postal = write(&app, "POST", "/api/elements", &ana, &body.to_string()).await;
    assert_eq!(field(&postal), "address.postal_code");
    assert_eq!(
        get(&app, "/api/elements/epicerie-du-vrac").await.status,
        404
    );
}

#[pollster::test]
async fn only_admins_edit_unless_open_edition_and_only_admins_change_the_policy() {
    let (app, ana, bruno) = two_people();
    let id = created(&app, &ana, VRAC).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/elements/{id}");
    let rename = r#"{"name": "Le Vrac"}"#;
    assert_eq!(
        write(&app, "PATCH", &path, &bruno, rename).await.status,
        403
    );
    let opened = write(&app, "PATCH", &path, &ana, r#"{"open_edition": true}"#).await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(
        opened.header("communs-stale-page"),
        Some("epicerie-du-vrac")
    );
    let renamed = write(&app, "PATCH", &path, &bruno, rename).await;
    assert_eq!(renamed.json()["name"], "Le Vrac");
    let policy = write(
        &app,
        "PATCH",
        &path,
        &bruno,
        r#"{"requires_approval": true}"#,
    )
    .await;
    assert_eq!(policy.status, 403);
}

#[pollster::test]
async fn only_an_admin_deletes_and_the_element_is_gone() {
    let (app, ana, bruno) = two_people();
    let id = created(&app, &ana, VRAC).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/elements/{id}");
    assert_eq!(write(&app, "DELETE", &path, &bruno, "").await.status, 403);
    assert_eq!(write(&app, "DELETE", &path, &ana, "").await.status, 204);
    assert_eq!(get(&app, &path).await.status, 404);
    assert_eq!(write(&app, "DELETE", &path, &ana, "").await.status, 404);
}

#[pollster::test]
async fn people_follow_and_join_and_the_last_admin_may_not_leave() {
    let (app, ana, bruno) = two_people();
    let id = created(&app, &ana, VRAC).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let base = format!("/api/elements/{id}");
    let followed = write(&app, "POST", &format!("{base}/follow"), &bruno, "")
        .await
        .json();
    assert_eq!(followed["follows"], true);
    let joined = write(&app, "POST", &format!("{base}/join"), &bruno, "")
        .await
        .json();
    assert_eq!(joined["member"], true);
    let relation = super::call(
        &app,
        "GET",
        &format!("{base}/relation"),
        &[("Cookie", &bruno)],
        "",
    )
    .await;
    assert_eq!(relation.json()["can_delete"], false);
    let last = write(&app, "DELETE", &format!("{base}/join"), &ana, "").await;
    assert_eq!(last.status, 409, "{}", last.body);
    let left = write(&app, "DELETE", &format!("{base}/join"), &bruno, "")
        .await
        .json();
    assert_eq!(left["member"], false);
}

#[pollster::test]
async fn admins_list_members_without_addresses_and_change_their_roles() {
    let (app, ana, bruno) = two_people();
    let id = created(&app, &ana, VRAC).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let base = format!("/api/elements/{id}");
    write(&app, "POST", &format!("{base}/join"), &bruno, "").await;
    let members = format!("{base}/members");
    let refused = super::call(&app, "GET", &members, &[("Cookie", &bruno)], "").await;
    assert_eq!(refused.status, 403);
    let list = super::call(&app, "GET", &members, &[("Cookie", &ana)], "").await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 2);
    assert!(!list.body.contains('@'), "{}", list.body);
    let change = json!({"person_id": "p_bruno", "is_admin": true}).to_string();
    let promoted = write(&app, "PATCH", &members, &ana, &change).await;
    assert_eq!(promoted.json()["admin"], true, "{}", promoted.body);
    let stranger = json!({"person_id": "p_nobody", "is_admin": true}).to_string();
    let missing = write(&app, "PATCH", &members, &ana, &stranger).await;
    assert_eq!((missing.status, field(&missing)), (404, json!("person_id")));
    // Now Ana may leave: Bruno looks after it.
    let left = write(&app, "DELETE", &format!("{base}/join"), &ana, "").await;
    assert_eq!(left.status, 200, "{}", left.body);
}
