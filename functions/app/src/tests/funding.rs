//! The funding area through the application: gifts and the provider's webhook, the ledger and
//! its pages, features and pledges (`features`), and Stripe's API through the `Fetch` port
//! (`stripe`). Development instances use the built-in stand-in for the provider.

mod features;
mod stripe;

use super::{Answer, NOW, app_on, call, seeded, signed_in};
use crate::App;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use store::db::Statement;
use store::search::Arg;

/// This machine, as the development routes require.
const HOST: &str = "localhost:8787";
const ORIGIN: &str = "http://localhost:8787";
const WEBHOOK_SECRET: &str = "whsec_test_only";
const ADMIN: &str = "admin@communs.test";
/// Within a year of `NOW` (2026-12-05).
const DEADLINE: &str = "2027-01-15";

/// A development instance: the stand-in provider, mail kept in the outbox, the webhook's
/// secret, one admin.
const DEVELOPMENT: [(&str, &str); 4] = [
    ("ENVIRONMENT", "development"),
    ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET),
    ("ADMIN_EMAILS", ADMIN),
    ("SITE_URL", "https://communs.example"),
];

/// The session cookies of the admin and two people, and no one's.
struct People {
    admin: String,
    ana: String,
    bob: String,
}

const NO_ONE: &str = "";

/// An instance with `settings`, its admin and two people signed in.
fn instance(settings: &[(&str, &str)]) -> (App, People) {
    let mut db = seeded();
    let people = People {
        admin: signed_in(&mut db, ADMIN),
        ana: signed_in(&mut db, "ana@example.org"),
        bob: signed_in(&mut db, "bob@example.org"),
    };
    (app_on(db, settings), people)
}

/// A write from this site's pages as the person of `cookie`, with a JSON body.
async fn send(app: &App, method: &str, path: &str, cookie: &str, body: Value) -> Answer {
    let headers = [
        ("Content-Type", "application/json"),
        ("Origin", ORIGIN),
        ("Host", HOST),
        ("Cookie", cookie),
    ];
    call(app, method, path, &headers, &body.to_string()).await
}

/// A read as the person of `cookie`.
async fn read(app: &App, path: &str, cookie: &str) -> Answer {
    call(app, "GET", path, &[("Host", HOST), ("Cookie", cookie)], "").await
}

/// A provider's event: a new id each time.
fn event(type_: &str, object: Value) -> Value {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let id = format!("evt_{}", NEXT.fetch_add(1, Ordering::Relaxed));
    json!({"id": id, "object": "event", "type": type_, "data": {"object": object}})
}

/// `event` delivered to the webhook, signed with `secret` at `at`.
async fn deliver(app: &App, event: &Value, secret: &str, at: i64) -> Answer {
    let body = event.to_string();
    let signature = domain::stripe::sign(body.as_bytes(), secret, at);
    let headers = [
        ("Content-Type", "application/json"),
        ("Stripe-Signature", signature.as_str()),
    ];
    call(app, "POST", "/api/payments/webhook", &headers, &body).await
}

/// `event` delivered as Stripe would, now.
async fn webhook(app: &App, event: &Value) -> Answer {
    deliver(app, event, WEBHOOK_SECRET, NOW).await
}

/// A one-off gift's checkout, paid: its money entered under `pi_<donation>`.
fn paid_checkout(donation: &str, cents: i64) -> Value {
    event(
        "checkout.session.completed",
        json!({"id": format!("cs_{donation}"), "object": "checkout.session", "mode": "payment",
               "client_reference_id": donation, "amount_total": cents, "currency": "eur",
               "payment_intent": format!("pi_{donation}"), "payment_status": "paid"}),
    )
}

/// Rows the test reads or changes behind the application's back.
async fn rows(app: &App, sql: &str, args: Vec<Arg>) -> Vec<Value> {
    let statement = Statement::new(sql.to_string(), args);
    app.db
        .all(statement)
        .await
        .expect("a test statement")
        .values()
}

async fn summary(app: &App) -> Value {
    read(app, "/api/funding/summary", NO_ONE).await.json()
}

async fn ledger(app: &App) -> Vec<Value> {
    let page = read(app, "/api/ledger?limit=100", NO_ONE).await.json();
    page["items"].as_array().cloned().unwrap_or_default()
}

async fn verified(app: &App) -> Value {
    read(app, "/api/ledger/verify", NO_ONE).await.json()
}

/// A gift of `cents` asked by the person of `cookie`: its id.
async fn donate(app: &App, cookie: &str, body: Value) -> String {
    let created = send(app, "POST", "/api/donations", cookie, body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()["id"].as_str().expect("an id").to_string()
}

#[pollster::test]
async fn giving_needs_a_session_from_this_site_and_a_fair_amount() {
    let (app, people) = instance(&DEVELOPMENT);
    let gift = json!({"amount_cents": 500});
    let signed_out = send(&app, "POST", "/api/donations", NO_ONE, gift.clone()).await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.body);
    let headers = [
        ("Content-Type", "application/json"),
        ("Origin", "https://evil.example"),
        ("Host", HOST),
        ("Cookie", people.ana.as_str()),
    ];
    let foreign = call(&app, "POST", "/api/donations", &headers, &gift.to_string()).await;
    assert_eq!(foreign.status, 403);
    let small = send(
        &app,
        "POST",
        "/api/donations",
        &people.ana,
        json!({"amount_cents": 50}),
    )
    .await;
    assert_eq!(small.status, 400);
    assert_eq!(small.json()["error"]["field"], "amount_cents");
    let weekly = json!({"amount_cents": 500, "recurring": "weekly"});
    let weekly = send(&app, "POST", "/api/donations", &people.ana, weekly).await;
    assert_eq!(weekly.status, 400);
    let stored = rows(&app, "SELECT count(*) AS n FROM donation", vec![]).await;
    assert_eq!(stored[0]["n"], 0, "nothing refused is stored");
    let mine = read(&app, "/api/donations", NO_ONE).await;
    assert_eq!(mine.status, 401);
}

#[pollster::test]
async fn a_gift_is_pending_until_paid_then_counted_once_and_listed_to_its_donor() {
    let (app, people) = instance(&DEVELOPMENT);
    let before = summary(&app).await;
    assert_eq!(
        before,
        json!({"donors": 0, "monthly_cents": 0, "total_cents": 0, "currency": "EUR"})
    );
    let created = send(
        &app,
        "POST",
        "/api/donations",
        &people.ana,
        json!({"amount_cents": 2000}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let gift = created.json();
    let id = gift["id"].as_str().unwrap();
    assert_eq!(gift["status"], "pending");
    assert_eq!(
        gift["checkout_url"],
        format!("/don/paiement-test/?don={id}")
    );
    assert_eq!(summary(&app).await, before, "nothing counts before payment");

    assert_eq!(webhook(&app, &paid_checkout(id, 2000)).await.status, 200);
    let after = summary(&app).await;
    assert_eq!(
        (after["donors"].as_i64(), after["total_cents"].as_i64()),
        (Some(1), Some(2000))
    );
    let mine = read(&app, "/api/donations", &people.ana).await.json();
    assert_eq!(mine["items"][0]["status"], "confirmed");
    let others = read(&app, "/api/donations", &people.bob).await.json();
    assert_eq!(others["items"], json!([]), "another's gifts are not listed");
    let entries = ledger(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["ref"], format!("donation:{id}"));
    assert_eq!(entries[0]["kind"], "gift");
}

#[pollster::test]
async fn the_webhook_refuses_a_bad_signature_and_enters_an_event_once() {
    let (app, people) = instance(&DEVELOPMENT);
    let id = donate(&app, &people.ana, json!({"amount_cents": 1700})).await;
    let paid = paid_checkout(&id, 1700);
    let forged = deliver(&app, &paid, "whsec_wrong", NOW).await;
    assert_eq!(forged.status, 400);
    assert_eq!(forged.json()["error"]["field"], "Stripe-Signature");
    let stale = deliver(&app, &paid, WEBHOOK_SECRET, NOW - 301).await;
    assert_eq!(stale.status, 400);
    assert_eq!(
        summary(&app).await["total_cents"],
        0,
        "nothing refused moves money"
    );

    let received = webhook(&app, &paid).await;
    assert_eq!(received.json(), json!({"received": true}));
    let replayed = webhook(&app, &paid).await;
    assert_eq!(replayed.status, 200);
    assert_eq!(
        replayed.json(),
        json!({"received": true, "duplicate": true})
    );
    // The same payment in another event is not entered twice either.
    assert_eq!(webhook(&app, &paid_checkout(&id, 1700)).await.status, 200);
    assert_eq!(summary(&app).await["total_cents"], 1700);
    assert_eq!(ledger(&app).await.len(), 1);
    assert_eq!(verified(&app).await["ok"], true);
}

#[pollster::test]
async fn without_a_webhook_secret_no_event_is_taken() {
    let (app, people) = instance(&[("ENVIRONMENT", "development")]);
    let id = donate(&app, &people.ana, json!({"amount_cents": 1000})).await;
    let refused = webhook(&app, &paid_checkout(&id, 1000)).await;
    assert_eq!(refused.status, 503);
    assert_eq!(summary(&app).await["total_cents"], 0);
}

#[pollster::test]
async fn a_delayed_payment_is_entered_when_it_comes_and_a_failed_one_cancels_the_gift() {
    let (app, people) = instance(&DEVELOPMENT);
    let id = donate(&app, &people.ana, json!({"amount_cents": 1500})).await;
    let mut unpaid = paid_checkout(&id, 1500);
    unpaid["data"]["object"]["payment_status"] = "unpaid".into();
    assert_eq!(webhook(&app, &unpaid).await.status, 200);
    assert_eq!(
        summary(&app).await["total_cents"],
        0,
        "not before the money"
    );
    let mut failed = paid_checkout(&id, 1500);
    failed["type"] = "checkout.session.async_payment_failed".into();
    assert_eq!(webhook(&app, &failed).await.status, 200);
    let mine = read(&app, "/api/donations", &people.ana).await.json();
    assert_eq!(mine["items"][0]["status"], "canceled");

    let other = donate(&app, &people.ana, json!({"amount_cents": 900})).await;
    let mut succeeded = paid_checkout(&other, 900);
    succeeded["type"] = "checkout.session.async_payment_succeeded".into();
    assert_eq!(webhook(&app, &succeeded).await.status, 200);
    assert_eq!(summary(&app).await["total_cents"], 900);
}

#[pollster::test]
async fn a_refund_at_the_provider_enters_the_ledger_once_and_a_gift_paid_back_stops_counting() {
    let (app, people) = instance(&DEVELOPMENT);
    let id = donate(&app, &people.ana, json!({"amount_cents": 2000})).await;
    assert_eq!(webhook(&app, &paid_checkout(&id, 2000)).await.status, 200);
    let refund = |rid: &str, cents: i64| json!({"id": rid, "object": "refund", "amount": cents, "currency": "eur", "status": "succeeded"});
    let charge = |refunds: Value| {
        event(
            "charge.refunded",
            json!({"id": format!("ch_{id}"), "object": "charge", "payment_intent": format!("pi_{id}"),
                   "amount": 2000, "currency": "eur", "refunds": {"object": "list", "data": refunds}}),
        )
    };
    assert_eq!(
        webhook(&app, &charge(json!([refund("re_a", 500)])))
            .await
            .status,
        200
    );
    let now = summary(&app).await;
    assert_eq!(
        (now["donors"].as_i64(), now["total_cents"].as_i64()),
        (Some(1), Some(1500))
    );
    let both = json!([refund("re_a", 500), refund("re_b", 1500)]);
    assert_eq!(webhook(&app, &charge(both)).await.status, 200);
    let now = summary(&app).await;
    assert_eq!(
        (now["donors"].as_i64(), now["total_cents"].as_i64()),
        (Some(0), Some(0))
    );
    let stranger = event(
        "refund.created",
        json!({"id": "re_x", "object": "refund", "amount": 999, "currency": "eur",
               "status": "succeeded", "payment_intent": "pi_not_ours"}),
    );
    assert_eq!(webhook(&app, &stranger).await.status, 200);
    let kinds: Vec<_> = ledger(&app)
        .await
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("gift"), json!("refund"), json!("refund")]);
    assert_eq!(verified(&app).await["ok"], true);
}

#[pollster::test]
async fn a_monthly_gift_is_stopped_by_its_donor_alone() {
    let (app, people) = instance(&DEVELOPMENT);
    let id = donate(
        &app,
        &people.ana,
        json!({"amount_cents": 500, "recurring": "monthly"}),
    )
    .await;
    let started = event(
        "checkout.session.completed",
        json!({"id": "cs_m", "object": "checkout.session", "mode": "subscription",
               "client_reference_id": id, "subscription": "sub_ana", "amount_total": 500,
               "currency": "eur"}),
    );
    assert_eq!(webhook(&app, &started).await.status, 200);
    assert_eq!(summary(&app).await["monthly_cents"], 500);
    let path = format!("/api/donations/{id}");
    assert_eq!(
        send(&app, "DELETE", &path, NO_ONE, json!(null))
            .await
            .status,
        401
    );
    assert_eq!(
        send(&app, "DELETE", &path, &people.bob, json!(null))
            .await
            .status,
        404
    );
    let unknown = send(
        &app,
        "DELETE",
        "/api/donations/d_none",
        &people.ana,
        json!(null),
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        send(&app, "DELETE", &path, &people.ana, json!(null))
            .await
            .status,
        204
    );
    assert_eq!(summary(&app).await["monthly_cents"], 0);
    let again = send(&app, "DELETE", &path, &people.ana, json!(null)).await;
    assert_eq!(again.status, 409, "stopped once");
}

#[pollster::test]
async fn a_gift_recorded_by_hand_appears_in_the_ledger_once_and_the_chain_verifies() {
    let (app, people) = instance(&DEVELOPMENT);
    let gift =
        json!({"amount_cents": 12000, "method": "virement", "reference": "VIR 2026-11-03 ASSO"});
    let path = "/api/donations/manual";
    assert_eq!(
        send(&app, "POST", path, NO_ONE, gift.clone()).await.status,
        401
    );
    assert_eq!(
        send(&app, "POST", path, &people.ana, gift.clone())
            .await
            .status,
        403
    );
    let odd = json!({"amount_cents": 100, "method": "bitcoin", "reference": "x"});
    let odd = send(&app, "POST", path, &people.admin, odd).await;
    assert_eq!(
        (odd.status, odd.json()["error"]["field"].clone()),
        (400, json!("method"))
    );

    let recorded = send(&app, "POST", path, &people.admin, gift.clone()).await;
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    let donation = recorded.json();
    assert_eq!(donation["status"], "confirmed");
    let entries = ledger(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0]["ref"],
        format!("donation:{}", donation["id"].as_str().unwrap())
    );
    assert_eq!(entries[0]["amount_cents"], 12000);
    assert_eq!(
        verified(&app).await,
        json!({"ok": true, "count": 1, "head": entries[0]["hash"]})
    );
    assert_eq!(summary(&app).await["total_cents"], 12000);

    let twice = send(&app, "POST", path, &people.admin, gift).await;
    assert_eq!(
        (twice.status, twice.json()["error"]["field"].clone()),
        (409, json!("reference"))
    );
    let gifts = rows(
        &app,
        "SELECT count(*) AS n FROM donation WHERE provider = 'manual'",
        vec![],
    )
    .await;
    assert_eq!(gifts[0]["n"], 1, "no second gift without its money");
}

#[pollster::test]
async fn an_expense_is_entered_by_the_treasurer_and_heads_the_ledger() {
    let (app, people) = instance(&DEVELOPMENT);
    let spent = json!({"amount_cents": 500, "label": "hébergement novembre"});
    let path = "/api/ledger/expenses";
    assert_eq!(
        send(&app, "POST", path, NO_ONE, spent.clone()).await.status,
        401
    );
    assert_eq!(
        send(&app, "POST", path, &people.bob, spent.clone())
            .await
            .status,
        403
    );
    let nothing = json!({"amount_cents": 0, "label": "rien"});
    assert_eq!(
        send(&app, "POST", path, &people.admin, nothing)
            .await
            .status,
        400
    );
    let entered = send(&app, "POST", path, &people.admin, spent).await;
    assert_eq!(entered.status, 201, "{}", entered.body);
    let entry = entered.json();
    assert_eq!(
        (entry["kind"].clone(), entry["ref"].clone()),
        (json!("expense"), json!("expense:hébergement novembre"))
    );
    let latest = read(&app, "/api/ledger/latest?limit=1", NO_ONE)
        .await
        .json();
    assert_eq!(
        (latest["count"].clone(), latest["head"].clone()),
        (json!(1), entry["hash"].clone())
    );
}

#[pollster::test]
async fn the_ledger_pages_exports_as_csv_and_names_a_row_changed_behind_its_back() {
    let (app, people) = instance(&DEVELOPMENT);
    for n in 0..3 {
        let reference = format!("VIR {n}");
        let gift = json!({"amount_cents": 1000 + n, "method": "virement", "reference": reference});
        let recorded = send(&app, "POST", "/api/donations/manual", &people.admin, gift).await;
        assert_eq!(recorded.status, 201);
    }
    let page = read(&app, "/api/ledger?limit=1", NO_ONE).await.json();
    let cursor = page["next_cursor"]
        .as_str()
        .expect("more to read")
        .to_string();
    let next = read(
        &app,
        &format!("/api/ledger?limit=1&cursor={cursor}"),
        NO_ONE,
    )
    .await
    .json();
    assert_eq!(next["items"][0]["seq"], 2);
    assert_eq!(next["items"][0]["prev_hash"], page["items"][0]["hash"]);
    let last = read(&app, "/api/ledger?limit=5&cursor=2", NO_ONE)
        .await
        .json();
    assert_eq!(
        (
            last["items"].as_array().map(Vec::len),
            last["next_cursor"].clone()
        ),
        (Some(1), Value::Null)
    );
    let bad = read(&app, "/api/ledger?cursor=abc", NO_ONE).await;
    assert_eq!(
        (bad.status, bad.json()["error"]["field"].clone()),
        (400, json!("cursor"))
    );

    let csv = read(&app, "/api/ledger.csv", NO_ONE).await;
    assert!(
        csv.header("content-type")
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    assert!(
        csv.header("content-disposition")
            .unwrap_or_default()
            .contains("grand-livre.csv")
    );
    let lines: Vec<_> = csv.body.trim().lines().collect();
    assert_eq!(
        lines[0],
        "seq,at,kind,amount_cents,currency,ref,prev_hash,hash"
    );
    assert_eq!(lines.len(), 4);

    rows(
        &app,
        "UPDATE ledger_entry SET amount_cents = 1 WHERE seq = 2",
        vec![],
    )
    .await;
    let broken = verified(&app).await;
    assert_eq!(
        (broken["ok"].clone(), broken["seq"].clone()),
        (json!(false), json!(2))
    );
}

#[pollster::test]
async fn an_entry_appended_but_not_sealed_is_sealed_by_the_next_reader() {
    let (app, _) = instance(&DEVELOPMENT);
    rows(
        &app,
        "INSERT INTO ledger_entry (at, kind, amount_cents, currency, ref, source) \
         VALUES ('2026-12-05T10:00:00Z', 'gift', 300, 'EUR', 'donation:d_stopped', 'pi_stopped')",
        vec![],
    )
    .await;
    let latest = read(&app, "/api/ledger/latest", NO_ONE).await.json();
    assert_eq!(latest["items"][0]["ref"], "donation:d_stopped");
    assert_eq!(latest["items"][0]["prev_hash"], domain::ledger::GENESIS);
    assert_eq!(latest["head"], latest["items"][0]["hash"]);
    assert_eq!(verified(&app).await["ok"], true);
}

#[pollster::test]
async fn the_transparency_page_shows_the_counters_and_the_entries() {
    let (app, people) = instance(&DEVELOPMENT);
    let gift = json!({"amount_cents": 4200, "method": "cheque", "reference": "CHQ 1"});
    assert_eq!(
        send(&app, "POST", "/api/donations/manual", &people.admin, gift)
            .await
            .status,
        201
    );
    let page = read(&app, "/transparence/", NO_ONE).await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
    assert_eq!(page.header("cache-control"), Some("public, max-age=60"));
    assert!(page.body.contains("42"), "the gift's amount is shown");
    let head = ledger(&app).await[0]["hash"].as_str().unwrap().to_string();
    assert!(page.body.contains(&head), "the head hash is published");
}

/// Development builds: the test checkout stands in for the provider's hosted page.
#[cfg(feature = "dev")]
mod test_checkout {
    use super::*;

    #[pollster::test]
    async fn the_development_checkout_marks_a_monthly_gift_paid_once() {
        let (app, people) = instance(&DEVELOPMENT);
        let id = donate(
            &app,
            &people.ana,
            json!({"amount_cents": 500, "recurring": "monthly"}),
        )
        .await;
        let shown = read(&app, &format!("/api/dev/checkout/{id}"), &people.ana).await;
        assert_eq!(shown.json()["status"], "pending");
        assert_eq!(
            read(&app, &format!("/api/dev/checkout/{id}"), &people.bob)
                .await
                .status,
            404
        );
        assert_eq!(
            read(&app, &format!("/api/dev/checkout/{id}"), NO_ONE)
                .await
                .status,
            401
        );

        let pay = format!("/api/dev/checkout/{id}/pay");
        let paid = send(&app, "POST", &pay, &people.ana, json!(null)).await;
        assert_eq!(paid.status, 200, "{}", paid.body);
        assert_eq!(paid.json()["status"], "active");
        assert_eq!(
            send(&app, "POST", &pay, &people.ana, json!(null))
                .await
                .status,
            409
        );
        assert_eq!(
            summary(&app).await,
            json!({"donors": 1, "monthly_cents": 500, "total_cents": 500, "currency": "EUR"})
        );
        let entries = ledger(&app).await;
        assert_eq!(
            entries.len(),
            1,
            "the checkout and the first invoice are one payment"
        );
        assert_eq!(entries[0]["ref"], format!("donation:{id}"));
    }

    #[pollster::test]
    async fn the_development_checkout_answers_only_in_development_on_this_machine() {
        let (app, people) = instance(&[("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)]);
        let missing = read(&app, "/api/dev/checkout/d_x", &people.ana).await;
        assert_eq!(missing.status, 404);
        let (app, people) = instance(&DEVELOPMENT);
        let id = donate(&app, &people.ana, json!({"amount_cents": 500})).await;
        let path = format!("/api/dev/checkout/{id}");
        let elsewhere = [("Host", "communs.example"), ("Cookie", people.ana.as_str())];
        assert_eq!(call(&app, "GET", &path, &elsewhere, "").await.status, 404);
        assert_eq!(read(&app, &path, &people.ana).await.status, 200);
    }
}
