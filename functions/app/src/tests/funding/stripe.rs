//! Stripe's API through the `Fetch` port: a fake that records what was asked and answers as
//! Stripe does, so that the requests themselves are checked (path, form, key, idempotency),
//! and that the secret key never reaches the log.

use super::*;
use crate::ports::{Fetch, Later, Outbound, Reply};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

const KEY: &str = "sk_test_never_logged";

/// What the fake was asked, and how it answers next.
#[derive(Default)]
struct FakeStripe {
    sent: Mutex<Vec<Outbound>>,
    down: AtomicBool,
    decline: AtomicBool,
}

impl FakeStripe {
    /// The requests to `method path` (under `/v1`), in order.
    fn to(&self, method: &str, path: &str) -> Vec<Outbound> {
        let url = format!("https://api.stripe.com/v1{path}");
        let sent = self.sent.lock().unwrap();
        sent.iter()
            .filter(|r| r.method == method && r.url == url)
            .cloned()
            .collect()
    }

    fn answer(&self, request: &Outbound, n: usize) -> (u16, Value) {
        let path = request.url.trim_start_matches("https://api.stripe.com/v1");
        match (request.method.as_str(), path) {
            ("POST", "/checkout/sessions") => {
                let url = format!("https://checkout.stripe.com/c/pay/cs_test_{n}");
                (200, json!({"id": format!("cs_test_{n}"), "url": url}))
            }
            ("POST", "/customers") => (200, json!({"id": format!("cus_{n}")})),
            ("GET", p) if p.starts_with("/setup_intents/") => (
                200,
                json!({"id": &p[15..], "payment_method": "pm_card_visa"}),
            ),
            ("POST", "/payment_intents") if self.decline.swap(false, Ordering::Relaxed) => {
                let error = json!({"type": "card_error", "decline_code": "insufficient_funds"});
                (402, json!({"error": error}))
            }
            ("POST", "/payment_intents") => {
                (200, json!({"id": format!("pi_{n}"), "status": "succeeded"}))
            }
            ("POST", "/refunds") => (200, json!({"id": format!("re_{n}"), "status": "succeeded"})),
            ("DELETE", p) if p.starts_with("/subscriptions/") => {
                (200, json!({"status": "canceled"}))
            }
            _ => (404, json!({"error": {"type": "invalid_request_error"}})),
        }
    }
}

impl Fetch for FakeStripe {
    fn fetch(&self, request: Outbound) -> Later<'_, Result<Reply, String>> {
        let n = {
            let mut sent = self.sent.lock().unwrap();
            sent.push(request.clone());
            sent.len()
        };
        let reply = match self.down.load(Ordering::Relaxed) {
            true => Err(format!("{} is down", request.url)),
            false => {
                let (status, body) = self.answer(&request, n);
                let body = body.to_string().into_bytes();
                Ok(Reply { status, body })
            }
        };
        Box::pin(std::future::ready(reply))
    }
}

/// Every line the application logged (from any test: none may hold the key).
static LOGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn keep(line: &str) {
    LOGS.lock().unwrap().push(line.to_string());
}

/// A development instance (mail in the outbox) with Stripe's key and the fake behind `Fetch`.
fn with_stripe() -> (App, People, Arc<FakeStripe>) {
    crate::log::install(keep);
    let mut settings = DEVELOPMENT.to_vec();
    settings.push(("STRIPE_SECRET_KEY", KEY));
    let (app, people) = instance(&settings);
    let stripe = Arc::new(FakeStripe::default());
    let app = App {
        fetch: stripe.clone(),
        ..app
    };
    (app, people, stripe)
}

fn header<'a>(request: &'a Outbound, name: &str) -> Option<&'a str> {
    let found = request.headers.iter().find(|(k, _)| k == name);
    found.map(|(_, v)| v.as_str())
}

/// The form a request sent, decoded.
fn form(request: &Outbound) -> Vec<(String, String)> {
    let body = request.body.as_deref().unwrap_or_default();
    form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field(request: &Outbound, name: &str) -> Option<String> {
    form(request)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[pollster::test]
async fn a_gift_opens_stripes_checkout_and_stripe_unreachable_is_502_with_no_key_logged() {
    let (app, people, stripe) = with_stripe();
    let id = donate(&app, &people.ana, json!({"amount_cents": 2000})).await;
    let sessions = stripe.to("POST", "/checkout/sessions");
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    assert_eq!(
        header(session, "Authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(
        header(session, "Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(field(session, "client_reference_id"), Some(id.clone()));
    assert_eq!(field(session, "mode").as_deref(), Some("payment"));
    let success = field(session, "success_url").unwrap_or_default();
    assert!(
        success.starts_with("https://communs.example/don/"),
        "{success}"
    );
    let stored = rows(&app, "SELECT checkout_ref, provider FROM donation", vec![]).await;
    assert_eq!(
        stored,
        [json!({"checkout_ref": "cs_test_1", "provider": "stripe"})]
    );

    stripe.down.store(true, Ordering::Relaxed);
    let failed = send(
        &app,
        "POST",
        "/api/donations",
        &people.ana,
        json!({"amount_cents": 700}),
    )
    .await;
    assert_eq!(failed.status, 502);
    assert_eq!(failed.json()["error"]["code"], "payment_provider_error");
    let logs = LOGS.lock().unwrap().clone();
    assert!(
        logs.iter()
            .any(|l| l.contains("/checkout/sessions: unreachable")),
        "{logs:?}"
    );
    assert!(logs.iter().all(|l| !l.contains(KEY)), "{logs:?}");
    assert!(!failed.body.contains(KEY));
}

#[pollster::test]
async fn stopping_a_monthly_gift_cancels_its_subscription_at_stripe() {
    let (app, people, stripe) = with_stripe();
    let id = donate(
        &app,
        &people.ana,
        json!({"amount_cents": 500, "recurring": "monthly"}),
    )
    .await;
    let session = &stripe.to("POST", "/checkout/sessions")[0];
    let metadata = field(session, "subscription_data[metadata][donation_id]");
    assert_eq!(metadata, Some(id.clone()));
    let started = event(
        "checkout.session.completed",
        json!({"id": "cs_m", "object": "checkout.session", "mode": "subscription",
               "client_reference_id": id, "subscription": "sub_ana", "amount_total": 500,
               "currency": "eur"}),
    );
    assert_eq!(webhook(&app, &started).await.status, 200);
    let path = format!("/api/donations/{id}");
    assert_eq!(
        send(&app, "DELETE", &path, &people.ana, json!(null))
            .await
            .status,
        204
    );
    assert_eq!(stripe.to("DELETE", "/subscriptions/sub_ana").len(), 1);
    assert_eq!(summary(&app).await["monthly_cents"], 0);
}

#[pollster::test]
async fn a_card_saved_at_stripe_commits_the_pledge_and_the_goal_charges_it_with_its_key() {
    let (app, people, stripe) = with_stripe();
    let asked = json!({"title": "Carte hors ligne", "goal_cents": 10000, "deadline": DEADLINE});
    let feature = send(&app, "POST", "/api/features", &people.admin, asked)
        .await
        .json();
    let path = format!("/api/features/{}/pledges", feature["id"].as_str().unwrap());
    let placed = send(
        &app,
        "POST",
        &path,
        &people.bob,
        json!({"amount_cents": 10000}),
    )
    .await;
    assert_eq!(placed.status, 201, "{}", placed.body);
    let pending = placed.json();
    let id = pending["id"].as_str().unwrap().to_string();
    assert_eq!(pending["status"], "pending");
    assert!(
        pending["setup_url"]
            .as_str()
            .unwrap()
            .starts_with("https://checkout.stripe.com/")
    );
    let customers = stripe.to("POST", "/customers");
    assert_eq!(customers.len(), 1);
    assert_eq!(
        header(&customers[0], "Idempotency-Key"),
        Some("customer-p_bob")
    );
    let setup = &stripe.to("POST", "/checkout/sessions")[0];
    assert_eq!(field(setup, "mode").as_deref(), Some("setup"));
    assert_eq!(field(setup, "client_reference_id"), Some(id.clone()));

    let saved = event(
        "checkout.session.completed",
        json!({"id": "cs_s", "object": "checkout.session", "mode": "setup", "status": "complete",
               "client_reference_id": id, "customer": "cus_1", "setup_intent": "seti_bob"}),
    );
    assert_eq!(webhook(&app, &saved).await.status, 200);
    assert_eq!(stripe.to("GET", "/setup_intents/seti_bob").len(), 1);
    let charges = stripe.to("POST", "/payment_intents");
    assert_eq!(charges.len(), 1, "the goal reached, charged once");
    let charge = &charges[0];
    assert_eq!(
        header(charge, "Idempotency-Key"),
        Some(format!("pledge-{id}-charge-1").as_str())
    );
    assert_eq!(
        field(charge, "payment_method").as_deref(),
        Some("pm_card_visa")
    );
    assert_eq!(field(charge, "off_session").as_deref(), Some("true"));
    let mine = read(&app, "/api/pledges", &people.bob).await.json();
    assert_eq!(mine["items"][0]["status"], "charged");
    let entries = ledger(&app).await;
    assert_eq!(entries[0]["ref"], format!("pledge:{id}"));

    // The treasurer pays it back: Stripe is asked once, with the refund's own key.
    let refund = format!("/api/pledges/{id}/refund");
    assert_eq!(
        send(&app, "POST", &refund, &people.admin, json!(null))
            .await
            .status,
        200
    );
    let refunds = stripe.to("POST", "/refunds");
    assert_eq!(refunds.len(), 1);
    let payment = charge_ref(&app, &id).await;
    assert_eq!(
        header(&refunds[0], "Idempotency-Key"),
        Some(format!("refund-{payment}").as_str())
    );
    assert_eq!(field(&refunds[0], "payment_intent"), Some(payment));
    assert_eq!(
        send(&app, "POST", &refund, &people.admin, json!(null))
            .await
            .status,
        409
    );
    assert_eq!(stripe.to("POST", "/refunds").len(), 1);
}

async fn charge_ref(app: &App, pledge: &str) -> String {
    let found = rows(
        app,
        "SELECT charge_ref FROM pledge WHERE id = ?1",
        vec![Arg::Text(pledge.into())],
    )
    .await;
    found[0]["charge_ref"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[pollster::test]
async fn a_declined_charge_is_told_to_the_backer_and_retried_when_due_with_a_new_key() {
    let (app, people, stripe) = with_stripe();
    let card = vec![
        Arg::Text("p_ana".into()),
        Arg::Text("stripe".into()),
        Arg::Text("cus_ana".into()),
        Arg::Text("pm_ana".into()),
        Arg::Int(NOW),
    ];
    rows(&app, store::features::SAVE_METHOD, card).await;
    stripe.decline.store(true, Ordering::Relaxed);
    let asked = json!({"title": "Carte hors ligne", "goal_cents": 10000, "deadline": DEADLINE});
    let feature = send(&app, "POST", "/api/features", &people.admin, asked)
        .await
        .json();
    let path = format!("/api/features/{}/pledges", feature["id"].as_str().unwrap());
    let placed = send(
        &app,
        "POST",
        &path,
        &people.ana,
        json!({"amount_cents": 10000}),
    )
    .await
    .json();
    let id = placed["id"].as_str().unwrap().to_string();
    let mine = read(&app, "/api/pledges", &people.ana).await.json();
    assert_eq!(mine["items"][0]["status"], "charge_failed");
    assert_eq!(mine["items"][0]["charge_error"], "insufficient_funds");
    let mail = rows(
        &app,
        "SELECT to_email AS \"to\", subject FROM outbox ORDER BY id DESC LIMIT 1",
        vec![],
    )
    .await;
    assert_eq!(mail[0]["to"], "ana@example.org");
    assert!(
        mail[0]["subject"]
            .as_str()
            .unwrap()
            .contains("n’a pas pu être prélevé")
    );

    crate::settle::scheduled(&app)
        .await
        .expect("the scheduled run");
    assert_eq!(
        stripe.to("POST", "/payment_intents").len(),
        1,
        "not before the next attempt is due"
    );
    let due = vec![Arg::Text(id.clone())];
    rows(
        &app,
        "UPDATE pledge SET next_attempt_at = 0 WHERE id = ?1",
        due,
    )
    .await;
    crate::settle::scheduled(&app)
        .await
        .expect("the scheduled run");
    let keys: Vec<_> = stripe
        .to("POST", "/payment_intents")
        .iter()
        .map(|r| header(r, "Idempotency-Key").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        keys,
        [
            format!("pledge-{id}-charge-1"),
            format!("pledge-{id}-charge-2")
        ]
    );
    let mine = read(&app, "/api/pledges", &people.ana).await.json();
    assert_eq!(mine["items"][0]["status"], "charged");
    crate::settle::scheduled(&app)
        .await
        .expect("the scheduled run");
    assert_eq!(
        stripe.to("POST", "/payment_intents").len(),
        2,
        "charged once"
    );
    let logs = LOGS.lock().unwrap().clone();
    assert!(logs.iter().all(|l| !l.contains(KEY)), "{logs:?}");
}
