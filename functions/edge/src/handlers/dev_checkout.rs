//! The development stand-in for the provider's hosted pages: the test checkout page
//! (`/don/paiement-test/`) reads a pending gift or pledge here, and "paying" or "saving a card"
//! sends the webhook the same signed events Stripe would. Development builds only (see `dev`);
//! the signed-in person acts on their own gift or pledge alone, as the real routes do.

use crate::handlers::funding::receive;
use crate::repo::features as pledges;
use crate::repo::funding as store;
use crate::{platform, request, respond, session};
use domain::development;
use domain::donation::{DonationRow, Recurring};
use domain::error::{ApiError, ErrorCode};
use domain::pledge::PledgeRow;
use serde_json::{Value, json};
use worker::{Env, Request, Response, Result, RouteContext};

/// Signs and delivers events to the webhook's own code, as the provider would.
async fn send(env: &Env, objects: Vec<(&'static str, Value)>) -> std::result::Result<(), ApiError> {
    let secret = crate::config::from_env(env)
        .stripe_webhook_secret
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?;
    let site = crate::config::from_env(env).site_url;
    for (kind, object) in objects {
        let event = json!({
            "id": format!("evt_dev_{}", &platform::token()[..20]),
            "object": "event",
            "type": kind,
            "data": {"object": object},
        });
        let body = serde_json::to_vec(&event).map_err(|_| ApiError::new(ErrorCode::Internal))?;
        let signature = domain::stripe::sign(&body, &secret, platform::now());
        receive(env, &signature, &body, &site).await?;
    }
    Ok(())
}

/// The id in the path, for a request the development routes admit (404 otherwise).
fn development_id(req: &Request, ctx: &RouteContext<()>) -> std::result::Result<String, ApiError> {
    super::dev::admitted(req, &ctx.env)?;
    Ok(ctx.param("id").cloned().unwrap_or_default())
}

/// The person signed in, if any, by id.
async fn signed_in(req: &Request, env: &Env) -> std::result::Result<Option<String>, ApiError> {
    Ok(session::current(req, env)
        .await?
        .map(|(person, _)| person.id))
}

/// A development-only donation awaiting the test checkout, its giver's own (404 otherwise).
async fn test_checkout(
    req: &Request,
    ctx: &RouteContext<()>,
) -> std::result::Result<DonationRow, ApiError> {
    let id = development_id(req, ctx)?;
    let donation = store::donation(&ctx.env, &id)
        .await?
        .filter(|d| d.provider == "development")
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let person = signed_in(req, &ctx.env).await?;
    development::owner_only(person.as_deref(), donation.person_id.as_deref())?;
    Ok(donation)
}

/// `GET /api/dev/checkout/{id}`: what the test checkout page shows.
pub async fn dev_checkout(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(async { respond::json(&test_checkout(&req, &ctx).await?.view()) }.await)
}

/// `POST /api/dev/checkout/{id}/pay`: pays as the provider would, by sending the webhook its
/// signed events — `checkout.session.completed`, and for a monthly gift the first `invoice.paid`.
pub async fn dev_pay(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let donation = test_checkout(&req, &ctx).await?;
            if donation.status != "pending" {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            send(&ctx.env, provider_objects(&donation)).await?;
            let paid = store::donation(&ctx.env, &donation.id)
                .await?
                .map(|d| d.view());
            respond::json(&paid)
        }
        .await,
    )
}

/// The objects Stripe would send for this donation's completed checkout.
fn provider_objects(d: &DonationRow) -> Vec<(&'static str, Value)> {
    let currency = d.currency.to_lowercase();
    let monthly = d.recurring == Recurring::Monthly.as_str();
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
async fn test_setup(
    req: &Request,
    ctx: &RouteContext<()>,
) -> std::result::Result<PledgeRow, ApiError> {
    let id = development_id(req, ctx)?;
    let pledge = pledges::pledge(&ctx.env, &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let person = signed_in(req, &ctx.env).await?;
    // A pledge without its backer (an erased account) is no one's to save a card for.
    let owner = pledge
        .person_id
        .as_deref()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    development::owner_only(person.as_deref(), Some(owner))?;
    Ok(pledge)
}

/// `GET /api/dev/setup/{id}`: the pledge the test page asks a card for.
pub async fn dev_setup(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(async { respond::json(&test_setup(&req, &ctx).await?.view()) }.await)
}

/// `POST /api/dev/setup/{id}/save`: saves a test card as the provider's setup checkout would,
/// by sending `checkout.session.completed` in setup mode.
pub async fn dev_save_card(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let pledge = test_setup(&req, &ctx).await?;
            if pledge.status != "pending" {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            let person = pledge.person_id.clone().unwrap_or_default();
            let customer = match pledges::method_of(&ctx.env, &person).await? {
                Some(saved) => saved.customer_ref,
                None => format!("cus_dev_{person}"),
            };
            let session = json!({
                "id": format!("cs_dev_{}", pledge.id), "object": "checkout.session",
                "mode": "setup", "client_reference_id": pledge.id, "status": "complete",
                "customer": customer, "setup_intent": format!("seti_dev_{}", pledge.id),
            });
            send(&ctx.env, vec![("checkout.session.completed", session)]).await?;
            let saved = pledges::pledge(&ctx.env, &pledge.id)
                .await?
                .map(|p| p.view());
            respond::json(&saved)
        }
        .await,
    )
}
