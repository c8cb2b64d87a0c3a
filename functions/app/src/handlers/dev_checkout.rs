//! The development stand-in for the provider's hosted pages: the test checkout page
//! (`/don/paiement-test/`) reads a pending gift or pledge here, and "paying" or "saving a card"
//! sends the webhook the same signed events Stripe would. Development builds only (feature
//! `dev`, and `crate::development::admitted`); the signed-in person acts on their own gift or
//! pledge alone, as the real routes do.

use crate::development::admitted;
use crate::handlers::webhook::receive;
use crate::repo::features as pledges;
use crate::repo::funding as donations;
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use domain::development;
use domain::donation::{DonationRow, Recurring};
use domain::error::{ApiError, ErrorCode};
use domain::pledge::PledgeRow;
use serde_json::{Value, json};

/// The test checkout's routes.
pub fn routes(router: Router<App>) -> Router<App> {
    router
        .route("/api/dev/checkout/{id}", get(dev_checkout))
        .route("/api/dev/checkout/{id}/pay", post(dev_pay))
        .route("/api/dev/setup/{id}", get(dev_setup))
        .route("/api/dev/setup/{id}/save", post(dev_save_card))
}

/// Signs and delivers events to the webhook's own code, as the provider would.
async fn send(app: &App, objects: Vec<(&'static str, Value)>) -> Result<(), ApiError> {
    let secret = app
        .config
        .stripe_webhook_secret
        .clone()
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?;
    for (kind, object) in objects {
        let event = json!({
            "id": format!("evt_dev_{}", &app.token()[..20]),
            "object": "event",
            "type": kind,
            "data": {"object": object},
        });
        let body = serde_json::to_vec(&event).map_err(|_| ApiError::new(ErrorCode::Internal))?;
        let signature = domain::stripe::sign(&body, &secret, app.now());
        receive(app, &signature, &body).await.map_err(|e| e.0)?;
    }
    Ok(())
}

/// The person signed in, if any, by id.
async fn signed_in(req: &Req, app: &App) -> Result<Option<String>, ApiError> {
    Ok(session::current(req, app)
        .await?
        .map(|(person, _)| person.id))
}

/// A development-only donation awaiting the test checkout, its giver's own (404 otherwise).
async fn test_checkout(req: &Req, app: &App) -> Result<DonationRow, ApiError> {
    admitted(req, app)?;
    let donation = donations::donation(app, &req.param("id"))
        .await?
        .filter(|d| d.provider == "development")
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let person = signed_in(req, app).await?;
    development::owner_only(person.as_deref(), donation.person_id.as_deref())?;
    Ok(donation)
}

/// `GET /api/dev/checkout/{id}`: what the test checkout page shows.
pub async fn dev_checkout(State(app): State<App>, req: Req) -> Outcome {
    respond::json(&test_checkout(&req, &app).await?.view())
}

/// `POST /api/dev/checkout/{id}/pay`: pays as the provider would, by sending the webhook its
/// signed events — `checkout.session.completed`, and for a monthly gift the first `invoice.paid`.
pub async fn dev_pay(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let donation = test_checkout(&req, &app).await?;
    if donation.status != domain::donation::DonationStatus::Pending {
        return Err(ApiError::on_field(ErrorCode::Conflict, "status").into());
    }
    send(&app, provider_objects(&donation)).await?;
    let paid = donations::donation(&app, &donation.id)
        .await?
        .map(|d| d.view());
    respond::json(&paid)
}

/// The objects Stripe would send for this donation's completed checkout.
fn provider_objects(d: &DonationRow) -> Vec<(&'static str, Value)> {
    let currency = d.currency.to_lowercase();
    let monthly = d.recurring == Recurring::Monthly;
    let subscription = format!("sub_dev_{}", d.id);
    let mut session = json!({
        "id": format!("cs_dev_{}", d.id), "object": "checkout.session",
        "mode": if monthly { "subscription" } else { "payment" },
        "client_reference_id": d.id, "amount_total": d.amount_cents, "currency": currency,
        "payment_status": "paid", "status": "complete",
    });
    if !monthly {
        session["payment_intent"] = format!("pi_dev_{}", d.id).into();
        return vec![("checkout.session.completed", session)];
    }
    session["subscription"] = subscription.clone().into();
    let invoice = json!({
        "id": format!("in_dev_{}_1", d.id), "object": "invoice", "billing_reason": "subscription_create",
        "amount_paid": d.amount_cents, "currency": currency, "status": "paid",
        "parent": {"type": "subscription_details", "subscription_details": {
            "subscription": subscription, "metadata": {"donation_id": d.id}}},
    });
    vec![
        ("checkout.session.completed", session),
        ("invoice.paid", invoice),
    ]
}

/// A pending pledge awaiting the test setup page, its backer's own (401 / 404 otherwise).
async fn test_setup(req: &Req, app: &App) -> Result<PledgeRow, ApiError> {
    admitted(req, app)?;
    let pledge = pledges::pledge(app, &req.param("id"))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let person = signed_in(req, app).await?;
    // A pledge without its backer (an erased account) is no one's to save a card for.
    let owner = pledge
        .person_id
        .as_deref()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    development::owner_only(person.as_deref(), Some(owner))?;
    Ok(pledge)
}

/// `GET /api/dev/setup/{id}`: the pledge the test page asks a card for.
pub async fn dev_setup(State(app): State<App>, req: Req) -> Outcome {
    respond::json(&test_setup(&req, &app).await?.view())
}

/// `POST /api/dev/setup/{id}/save`: saves a test card as the provider's setup checkout would,
/// by sending `checkout.session.completed` in setup mode.
pub async fn dev_save_card(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let pledge = test_setup(&req, &app).await?;
    if pledge.status != domain::funding::PledgeStatus::Pending {
        return Err(ApiError::on_field(ErrorCode::Conflict, "status").into());
    }
    let person = pledge.person_id.clone().unwrap_or_default();
    let customer = match pledges::method_of(&app, &person).await? {
        Some(saved) => saved.customer_ref,
        None => format!("cus_dev_{person}"),
    };
    let session = json!({
        "id": format!("cs_dev_{}", pledge.id), "object": "checkout.session",
        "mode": "setup", "client_reference_id": pledge.id, "status": "complete",
        "customer": customer, "setup_intent": format!("seti_dev_{}", pledge.id),
    });
    send(&app, vec![("checkout.session.completed", session)]).await?;
    let saved = pledges::pledge(&app, &pledge.id).await?.map(|p| p.view());
    respond::json(&saved)
}
