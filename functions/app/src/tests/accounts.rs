//! Accounts through the application: sign-in by link and code, its limits, sessions, the
//! person's own account (show, change, export, erase, links, proposals) and the clean-up.

use super::{Answer, NOW, app_on, call, get, seeded, signed_in};
use crate::App;
use crate::ports::{Later, Mailer};
use domain::mail::Message;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use store::db::Statement;

const SITE: &str = "http://communs.test";
const DEVELOPMENT: (&str, &str) = ("ENVIRONMENT", "development");

/// A write from the site's own pages, signed in when `cookie` is not empty.
async fn write(app: &App, method: &str, path: &str, cookie: &str, body: &str) -> Answer {
    let headers = [
        ("Content-Type", "application/json"),
        ("Origin", SITE),
        ("Host", "communs.test"),
        ("Cookie", cookie),
    ];
    call(app, method, path, &headers, body).await
}

async fn read(app: &App, path: &str, cookie: &str) -> Answer {
    call(app, "GET", path, &[("Cookie", cookie)], "").await
}

async fn ask_link(app: &App, email: &str) -> Answer {
    let body = serde_json::json!({ "email": email }).to_string();
    write(app, "POST", "/api/auth/email", "", &body).await
}

async fn verify(app: &App, body: Value) -> Answer {
    write(app, "POST", "/api/auth/verify", "", &body.to_string()).await
}

/// The newest mail to `to` in the development outbox.
async fn mail_to(app: &App, to: &str) -> crate::repo::outbox::OutboxItem {
    let items = crate::repo::outbox::latest(app, 50).await.expect("outbox");
    items
        .into_iter()
        .find(|m| m.to == to)
        .unwrap_or_else(|| panic!("no mail to {to}"))
}

/// Signs `email` in through the whole flow (link asked, read in the outbox, verified) and
/// gives the `Cookie` header that carries the session.
async fn sign_in(app: &App, email: &str) -> String {
    assert_eq!(ask_link(app, email).await.status, 202);
    let token = mail_to(app, email).await.token.expect("a token");
    let verified = verify(app, serde_json::json!({ "token": token })).await;
    assert_eq!(verified.status, 200, "{}", verified.body);
    session_cookie(&verified).split(';').next().unwrap().into()
}

fn cookies(answer: &Answer) -> Vec<&str> {
    answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

fn session_cookie(answer: &Answer) -> &str {
    cookies(answer)
        .into_iter()
        .find(|c| c.starts_with("session="))
        .expect("a session cookie")
}

/// Every row of a statement written for the test (the application's own are in the store).
async fn rows(app: &App, sql: &'static str) -> Vec<Value> {
    app.db
        .all(Statement::new(sql, vec![]))
        .await
        .unwrap()
        .values()
}

async fn count(app: &App, sql: &'static str) -> i64 {
    rows(app, sql).await[0]["n"].as_i64().unwrap()
}

/// Every value held in any table, as text, to look for a person's data.
async fn every_value(app: &App) -> Vec<String> {
    let tables = rows(
        app,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .await;
    let mut values = Vec::new();
    for table in tables {
        let sql = format!("SELECT * FROM \"{}\"", table["name"].as_str().unwrap());
        let found = app.db.all(Statement::new(sql, vec![])).await.unwrap();
        for row in found.values() {
            values.extend(row.as_object().unwrap().values().map(Value::to_string));
        }
    }
    values
}

/// The token in a sign-in mail's link.
fn token_in(body: &str) -> &str {
    let start = body.find("#jeton=").expect("a link") + "#jeton=".len();
    body[start..].split_whitespace().next().unwrap()
}

/// A mailer that keeps what it is given.
#[derive(Default)]
struct Recorder(Mutex<Vec<Message>>);

impl Mailer for Recorder {
    fn send<'a>(&'a self, message: &'a Message) -> Later<'a, Result<(), String>> {
        self.0.lock().unwrap().push(message.clone());
        Box::pin(std::future::ready(Ok(())))
    }
}

#[pollster::test]
async fn in_development_the_sign_in_mail_lands_in_the_outbox_with_a_link_to_the_configured_site() {
    let settings = [DEVELOPMENT, ("SITE_URL", "https://communs.example")];
    let app = app_on(seeded(), &settings);
    let asked = ask_link(&app, " Camille@Exemple.FR ").await;
    assert_eq!(asked.status, 202, "{}", asked.body);
    assert_eq!(
        asked.json()["expires_in"],
        domain::account::SIGN_IN_TTL_SECS
    );

    let mail = mail_to(&app, "camille@exemple.fr").await;
    let (token, code) = (mail.token.unwrap(), mail.code.unwrap());
    let link = format!("https://communs.example/connexion/#jeton={token}");
    assert!(mail.body.contains(&link), "{}", mail.body);
    assert!(mail.body.contains(&code) && !mail.body.contains("communs.test"));
    assert!(
        !asked.body.contains(&token),
        "the token is never in the answer"
    );
    // Only the token's hash is kept.
    let stored = rows(&app, "SELECT token_hash FROM sign_in").await;
    assert_eq!(stored[0]["token_hash"], domain::secret::hash(&token));
}

#[pollster::test]
async fn without_a_mailer_outside_development_asking_a_link_is_503_and_records_nothing() {
    let app = app_on(seeded(), &[]);
    let asked = ask_link(&app, "camille@exemple.fr").await;
    assert_eq!(asked.status, 503, "{}", asked.body);
    assert_eq!(asked.json()["error"]["code"], "service_unavailable");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM sign_in").await, 0);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM outbox").await, 0);
}

#[pollster::test]
async fn with_a_mailer_the_sign_in_mail_is_sent_and_its_link_signs_in() {
    let recorder = Arc::new(Recorder::default());
    let mut app = app_on(seeded(), &[]);
    app.mailer = Some(recorder.clone());
    assert_eq!(ask_link(&app, "prod@exemple.fr").await.status, 202);

    let sent = recorder.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "prod@exemple.fr");
    let code = sent[0]
        .subject
        .trim_end_matches(')')
        .rsplit(' ')
        .next()
        .unwrap();
    assert_eq!(code.len(), 8, "{}", sent[0].subject);
    assert!(sent[0].body.contains(code));
    assert_eq!(count(&app, "SELECT count(*) AS n FROM outbox").await, 0);
    let token = token_in(&sent[0].body);
    let verified = verify(&app, serde_json::json!({ "token": token })).await;
    assert_eq!(verified.status, 200, "{}", verified.body);
    assert_eq!(verified.json()["user"]["email"], "prod@exemple.fr");
}

#[pollster::test]
async fn a_link_signs_in_once_with_a_hardened_cookie_that_api_me_knows() {
    let app = app_on(seeded(), &[DEVELOPMENT]);
    ask_link(&app, "camille@exemple.fr").await;
    let token = mail_to(&app, "camille@exemple.fr").await.token.unwrap();

    let verified = verify(&app, serde_json::json!({ "token": token })).await;
    assert_eq!(verified.status, 200, "{}", verified.body);
    assert_eq!(verified.json()["user"]["email"], "camille@exemple.fr");
    let session = session_cookie(&verified);
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(flag), "{session}");
    }
    assert!(
        cookies(&verified)
            .iter()
            .any(|c| c.starts_with("signed_in=1;"))
    );
    let cookie = session.split(';').next().unwrap();
    let stored = rows(&app, "SELECT * FROM session").await;
    assert_eq!(stored[0]["token_hash"], domain::secret::hash(&cookie[8..]));
    let times = domain::account::SessionTimes::start(NOW);
    assert_eq!(stored[0]["expires_at"], times.expires_at);
    assert_eq!(stored[0]["absolute_expires_at"], times.absolute_expires_at);

    let me = read(&app, "/api/me", cookie).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["email"], "camille@exemple.fr");

    let again = verify(&app, serde_json::json!({ "token": token })).await;
    assert_eq!(again.status, 401);
    assert_eq!(again.json()["error"]["code"], "invalid_sign_in_token");
    let neither = verify(&app, serde_json::json!({ "email": "camille@exemple.fr" })).await;
    assert_eq!(neither.status, 400);
    assert_eq!(neither.json()["error"]["field"], "token");
}

#[pollster::test]
async fn a_typed_code_signs_in_once_and_wrong_codes_burn_it_at_the_domain_s_limit() {
    let app = app_on(seeded(), &[DEVELOPMENT]);
    let wrong = |email: &str| serde_json::json!({ "email": email, "code": "00000000" });
    let attempts = domain::account::MAX_CODE_ATTEMPTS;

    // One wrong code short of the limit, the right one still works, typed loosely, once.
    ask_link(&app, "code@exemple.fr").await;
    let code = mail_to(&app, "code@exemple.fr").await.code.unwrap();
    for _ in 1..attempts {
        assert_eq!(verify(&app, wrong("code@exemple.fr")).await.status, 401);
    }
    let typed = format!("{}-{}", code[..4].to_lowercase(), &code[4..]);
    let right = serde_json::json!({ "email": " Code@exemple.fr", "code": typed });
    assert_eq!(verify(&app, right.clone()).await.status, 200);
    assert_eq!(verify(&app, right).await.status, 401, "used once");

    // At the limit, the right code no longer works.
    ask_link(&app, "code2@exemple.fr").await;
    let code = mail_to(&app, "code2@exemple.fr").await.code.unwrap();
    for _ in 0..attempts {
        assert_eq!(verify(&app, wrong("code2@exemple.fr")).await.status, 401);
    }
    let late = verify(
        &app,
        serde_json::json!({ "email": "code2@exemple.fr", "code": code }),
    )
    .await;
    assert_eq!(late.status, 401);
    assert_eq!(late.json()["error"]["code"], "invalid_sign_in_token");
}

#[pollster::test]
async fn asking_too_often_for_one_address_is_429_with_retry_after() {
    let app = app_on(seeded(), &[DEVELOPMENT]);
    let max = domain::limits::SIGN_IN_PER_EMAIL.max;
    for _ in 0..max {
        assert_eq!(ask_link(&app, "pressee@exemple.fr").await.status, 202);
    }
    let refused = ask_link(&app, "pressee@exemple.fr").await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.json()["error"]["code"], "too_many_requests");
    let retry: i64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    assert_eq!(ask_link(&app, "autre@exemple.fr").await.status, 202);
}

#[pollster::test]
async fn asking_or_verifying_too_often_from_one_client_is_429_and_another_client_passes() {
    let app = app_on(
        seeded(),
        &[DEVELOPMENT, ("CLIENT_ADDRESS", "cf-connecting-ip")],
    );
    let from = async |client: &str, path: &str, body: String| {
        let headers = [
            ("Content-Type", "application/json"),
            ("Origin", SITE),
            ("Host", "communs.test"),
            ("CF-Connecting-IP", client),
        ];
        call(&app, "POST", path, &headers, &body).await.status
    };
    let ask = |n: i64| serde_json::json!({ "email": format!("p{n}@exemple.fr") }).to_string();
    for n in 0..domain::limits::SIGN_IN_PER_CLIENT.max {
        assert_eq!(from("203.0.113.1", "/api/auth/email", ask(n)).await, 202);
    }
    assert_eq!(from("203.0.113.1", "/api/auth/email", ask(99)).await, 429);
    assert_eq!(from("203.0.113.2", "/api/auth/email", ask(99)).await, 202);

    let token = serde_json::json!({ "token": "not-a-token" }).to_string();
    for _ in 0..domain::limits::VERIFY_PER_CLIENT.max {
        let status = from("203.0.113.1", "/api/auth/verify", token.clone()).await;
        assert_eq!(status, 401);
    }
    assert_eq!(
        from("203.0.113.1", "/api/auth/verify", token.clone()).await,
        429
    );
    assert_eq!(from("203.0.113.2", "/api/auth/verify", token).await, 401);
}

#[pollster::test]
async fn logout_ends_the_session_and_clears_both_cookies() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "sortie@exemple.fr");
    let app = app_on(db, &[]);
    assert_eq!(read(&app, "/api/me", &cookie).await.status, 200);

    let out = write(&app, "POST", "/api/auth/logout", &cookie, "").await;
    assert_eq!(out.status, 204, "{}", out.body);
    let cleared = cookies(&out);
    assert_eq!(cleared.len(), 2);
    assert!(
        cleared.iter().all(|c| c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    assert!(cleared[0].starts_with("session=;"));
    assert_eq!(count(&app, "SELECT count(*) AS n FROM session").await, 0);
    let me = read(&app, "/api/me", &cookie).await;
    assert_eq!(me.status, 401);
    assert_eq!(me.json()["error"]["code"], "not_signed_in");
}

#[pollster::test]
async fn a_person_changes_their_profile_and_bad_values_are_refused_by_field() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "profil@exemple.fr");
    let app = app_on(db, &[]);
    let body = r#"{"display_name": "Camille Martin", "home_scope": "commune:97415",
        "public_fields": ["display_name"]}"#;
    let saved = write(&app, "PATCH", "/api/me", &cookie, body).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["updated_at"], domain::time::rfc3339(NOW));

    let me = read(&app, "/api/me", &cookie).await.json();
    assert_eq!(me["display_name"], "Camille Martin");
    assert_eq!(me["home_scope"], "commune:97415");
    assert_eq!(me["public_fields"], serde_json::json!(["display_name"]));
    assert_eq!(me["is_instance_admin"], false);

    let refused = [
        (r#"{"home_scope": "region:04"}"#, "home_scope"),
        (r#"{"home_scope": "commune:97499"}"#, "home_scope"),
        (r#"{"display_name": ""}"#, "display_name"),
        (r#"{"public_fields": ["email"]}"#, "public_fields"),
    ];
    for (body, field) in refused {
        let answer = write(&app, "PATCH", "/api/me", &cookie, body).await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(answer.json()["error"]["field"], field, "{body}");
    }
    let unchanged = read(&app, "/api/me", &cookie).await.json();
    assert_eq!(unchanged["home_scope"], "commune:97415");
}

#[pollster::test]
async fn signed_out_the_account_is_401_and_a_foreign_origin_is_403() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "csrf@exemple.fr");
    let app = app_on(db, &[]);
    for path in [
        "/api/me",
        "/api/me/export",
        "/api/me/links",
        "/api/me/proposals",
    ] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, 401, "{path}");
        assert_eq!(answer.json()["error"]["code"], "not_signed_in");
    }
    for method in ["PATCH", "DELETE"] {
        let answer = write(&app, method, "/api/me", "", r#"{"display_name": "X"}"#).await;
        assert_eq!(answer.status, 401, "{method}");
    }
    let foreign = [
        ("Content-Type", "application/json"),
        ("Origin", "https://evil.example"),
        ("Host", "communs.test"),
        ("Cookie", cookie.as_str()),
    ];
    let forged = call(
        &app,
        "PATCH",
        "/api/me",
        &foreign,
        r#"{"display_name": "X"}"#,
    )
    .await;
    assert_eq!(forged.status, 403);
    assert_eq!(forged.json()["error"]["code"], "foreign_origin");
    assert_eq!(
        read(&app, "/api/me", &cookie).await.json()["display_name"],
        Value::Null
    );
}

#[pollster::test]
async fn instance_admins_are_known_from_admin_emails() {
    let app = app_on(
        seeded(),
        &[DEVELOPMENT, ("ADMIN_EMAILS", "admin@communs.test")],
    );
    let admin = sign_in(&app, "admin@communs.test").await;
    let person = sign_in(&app, "personne@exemple.fr").await;
    let admin = read(&app, "/api/me", &admin).await.json();
    assert_eq!(admin["is_instance_admin"], true);
    let person = read(&app, "/api/me", &person).await.json();
    assert_eq!(person["is_instance_admin"], false);
}

#[pollster::test]
async fn the_export_holds_the_person_s_data_and_nobody_else_s() {
    let app = app_on(seeded(), &[DEVELOPMENT]);
    let alice = sign_in(&app, "alice@exemple.fr").await;
    let bob = sign_in(&app, "bob@exemple.fr").await;
    let named = |name: &str| format!(r#"{{"display_name": "{name}"}}"#);
    write(&app, "PATCH", "/api/me", &bob, &named("Bob Secret")).await;
    write(&app, "PATCH", "/api/me", &alice, &named("Alice A.")).await;

    let held = "INSERT INTO donation (id, person_id, amount_cents, currency, recurring, status, \
         provider, created_at) SELECT 'd_' || email, id, 500, 'eur', 'none', 'pending', 'manual', 1 \
         FROM person; INSERT INTO payment_method (person_id, provider, customer_ref, saved_at) \
         SELECT id, 'stripe', 'cus_' || email, 1 FROM person";
    for sql in held.split("; ") {
        app.db.all(Statement::new(sql, vec![])).await.unwrap();
    }

    let export = read(&app, "/api/me/export", &alice).await;
    assert_eq!(export.status, 200, "{}", export.body);
    let disposition = export.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let data = export.json();
    assert_eq!(data["person"]["email"], "alice@exemple.fr");
    assert_eq!(data["person"]["display_name"], "Alice A.");
    let records = &data["records"];
    for list in [
        "sessions",
        "sign_ins",
        "mails",
        "donations",
        "payment_methods",
    ] {
        assert_eq!(records[list].as_array().unwrap().len(), 1, "{list}");
    }
    assert_eq!(records["pledges"], serde_json::json!([]));
    assert_eq!(records["donations"][0]["id"], "d_alice@exemple.fr");
    assert_eq!(
        records["payment_methods"][0]["customer_ref"],
        "cus_alice@exemple.fr"
    );
    assert_eq!(
        records["sessions"][0]["created_at"],
        domain::time::rfc3339(NOW)
    );
    assert!(!export.body.contains("bob@exemple.fr") && !export.body.contains("Bob Secret"));
    assert!(!export.body.contains(&alice[8..]), "no session secret");
}

#[pollster::test]
async fn erasing_the_account_leaves_nothing_of_the_person_and_others_untouched() {
    let app = app_on(seeded(), &[DEVELOPMENT]);
    let other = sign_in(&app, "alice@exemple.fr").await;
    let email = "efface@exemple.fr";
    let cookie = sign_in(&app, email).await;
    let body = r#"{"display_name": "Nom Unique Effacé", "home_scope": "postal:97460"}"#;
    assert_eq!(
        write(&app, "PATCH", "/api/me", &cookie, body).await.status,
        200
    );
    let id = read(&app, "/api/me", &cookie).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let counter = domain::limits::SIGN_IN_PER_EMAIL.counter(email, NOW).key;
    let personal = [email, "Nom Unique Effacé", &counter, &id];
    let values = every_value(&app).await;
    assert!(
        personal
            .iter()
            .all(|p| values.iter().any(|v| v.contains(p)))
    );

    let erased = write(&app, "DELETE", "/api/me", &cookie, "").await;
    assert_eq!(erased.status, 204, "{}", erased.body);
    assert!(session_cookie(&erased).contains("Max-Age=0"));
    let values = every_value(&app).await;
    for personal in personal {
        let left: Vec<_> = values.iter().filter(|v| v.contains(personal)).collect();
        assert!(left.is_empty(), "{personal} remains: {left:?}");
    }
    assert!(values.iter().any(|v| v.contains("alice@exemple.fr")));
    assert_eq!(read(&app, "/api/me", &cookie).await.status, 401);
    assert_eq!(read(&app, "/api/me", &other).await.status, 200);
}

#[pollster::test]
async fn links_list_the_elements_the_person_follows_belongs_to_or_looks_after() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "ana@example.org");
    signed_in(&mut db, "bob@example.org");
    db.execute_batch(
        "INSERT INTO link (element_id, person_id, kind, is_admin, pending, created_at) VALUES \
         ('vrac', 'p_ana', 'member', 1, 0, 1), \
         ('vrac', 'p_ana', 'follow', 0, 0, 1), \
         ('jardin', 'p_ana', 'member', 0, 1, 1), \
         ('jardin', 'p_bob', 'member', 1, 0, 1);",
    )
    .unwrap();
    let app = app_on(db, &[]);
    let links = read(&app, "/api/me/links", &cookie).await;
    assert_eq!(links.status, 200, "{}", links.body);
    let links = links.json();
    let items = links["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{links}");
    let of = |id: &str| items.iter().find(|i| i["id"] == id).unwrap().clone();
    let vrac = of("vrac");
    assert_eq!(
        (
            &vrac["follows"],
            &vrac["member"],
            &vrac["admin"],
            &vrac["pending"]
        ),
        (
            &Value::Bool(true),
            &Value::Bool(true),
            &Value::Bool(true),
            &Value::Bool(false)
        )
    );
    assert_eq!(vrac["page"], "/e/vrac/");
    assert_eq!(vrac["commune"]["name"], "Saint-Paul");
    let jardin = of("jardin");
    assert_eq!(
        (&jardin["member"], &jardin["pending"]),
        (&Value::Bool(false), &Value::Bool(true))
    );
    assert_eq!(jardin["admin"], false, "Bob's admin role is his");
}

#[pollster::test]
async fn proposals_list_the_open_votes_of_the_person_s_communities_and_who_may_vote() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "ana@example.org");
    db.execute_batch(&format!(
        "INSERT INTO link (element_id, person_id, kind, pending, created_at) VALUES \
         ('vrac', 'p_ana', 'member', 0, 1), \
         ('jardin', 'p_ana', 'follow', 0, 1); \
         INSERT INTO proposal (id, community, title, body, method, majority, quorum, eligibility, \
         secret, changeable, vote_from, vote_until, created_at, closed_at) VALUES \
         ('pr_donors', 'instance', 'Aux donateurs', '', 'motion', 50, 0, 'donors', 0, 0, 1, {soon}, 1, NULL), \
         ('pr_vrac', 'vrac', 'Au Vrac', '', 'motion', 50, 0, 'members', 0, 0, 1, {later}, 1, NULL), \
         ('pr_jardin', 'jardin', 'Au jardin', '', 'motion', 50, 0, 'members', 0, 0, 1, {soon}, 1, NULL), \
         ('pr_closed', 'instance', 'Close', '', 'motion', 50, 0, 'members', 0, 0, 1, {soon}, 1, 2), \
         ('pr_past', 'instance', 'Passée', '', 'motion', 50, 0, 'members', 0, 0, 1, {past}, 1, NULL);",
        soon = NOW + 3600,
        later = NOW + 7200,
        past = NOW - 1,
    ))
    .unwrap();
    let app = app_on(db, &[]);
    let may_vote = async || -> Vec<(String, bool)> {
        let answer = read(&app, "/api/me/proposals", &cookie).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let items = answer.json()["items"].as_array().unwrap().clone();
        items
            .iter()
            .map(|p| (p["id"].as_str().unwrap().into(), p["may_vote"] == true))
            .collect()
    };
    let not_a_donor = [
        ("pr_donors".to_string(), false),
        ("pr_vrac".to_string(), true),
    ];
    assert_eq!(may_vote().await, not_a_donor);

    let gift = "INSERT INTO donation (id, person_id, amount_cents, currency, recurring, status, \
         provider, created_at, confirmed_at) VALUES ('d_1', 'p_ana', 500, 'eur', \
         'none', 'confirmed', 'manual', 1796471000, 1796471000)";
    app.db.all(Statement::new(gift, vec![])).await.unwrap();
    let donor = [
        ("pr_donors".to_string(), true),
        ("pr_vrac".to_string(), true),
    ];
    assert_eq!(may_vote().await, donor);
}

#[pollster::test]
async fn the_purge_drops_expired_sign_ins_sessions_and_old_windows_and_nothing_live() {
    let mut db = seeded();
    let cookie = signed_in(&mut db, "vivant@exemple.fr");
    db.execute_batch(&format!(
        "INSERT INTO sign_in (token_hash, code_hash, email, created_at, expires_at) VALUES \
         ('stale', 'x', 'a@exemple.fr', {old}, {now}), ('live', 'y', 'b@exemple.fr', {now}, {soon}); \
         INSERT INTO session (token_hash, person_id, created_at, refreshed_at, expires_at, \
         absolute_expires_at) VALUES \
         ('idle', 'p_vivant', {old}, {old}, {now}, {soon}), \
         ('too_old', 'p_vivant', {old}, {old}, {soon}, {now}); \
         INSERT INTO rate_limit (key, window_start, count) VALUES \
         ('stale', {old}, 3), ('current', {now}, 1);",
        old = NOW - 3 * 24 * 3600,
        now = NOW,
        soon = NOW + 60,
    ))
    .unwrap();
    let app = app_on(db, &[]);
    crate::repo::accounts::purge_expired(&app, NOW, NOW - 24 * 3600)
        .await
        .unwrap();

    let left = async |sql: &'static str| -> Vec<String> {
        let found = rows(&app, sql).await;
        found
            .iter()
            .map(|r| r["k"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(left("SELECT token_hash AS k FROM sign_in").await, ["live"]);
    assert_eq!(left("SELECT key AS k FROM rate_limit").await, ["current"]);
    let sessions = left("SELECT token_hash AS k FROM session").await;
    assert_eq!(sessions, [domain::secret::hash(&cookie[8..])]);
    assert_eq!(
        read(&app, "/api/me", &cookie).await.status,
        200,
        "the live session stays"
    );
}
