//! Funding the commons: donations, the provider's webhook, the public counters and ledger.
//! In local development a built-in checkout stands in for the provider's hosted page and sends
//! the same signed events (`/api/dev/checkout/…`).

use crate::config::Config;
use crate::repo::funding::{self as store, Movement, Step};
use crate::repo::{int, opt_text, text};
use crate::respond::{self, Outcome};
use crate::{platform, request, session};
use ::store::funding as sql;
use domain::access::{self, Action, Relation, Target};
use domain::donation::{DonationInput, DonationRow, Effect, Event, Recurring};
use domain::error::{ApiError, ErrorCode};
use domain::ledger::EntryKind;
use serde_json::{Value, json};
use worker::{Env, Request, Response, Result, RouteContext};

const YEAR: i64 = 365 * 24 * 3600;

/// `POST /api/donations`: a pending donation and where to pay it.
pub async fn create(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let (actor, person) = session::actor(&req, &ctx.env).await?;
            access::decide(
                actor,
                Action::Donate,
                Relation::default(),
                Target::default(),
            )?;
            let asked = request::json::<DonationInput>(&mut req).await?.check()?;
            // Only the development checkout is wired so far; a deployed instance says so.
            if !Config::from_env(&ctx.env).development {
                return Err(ApiError::new(ErrorCode::Unavailable));
            }
            let row = DonationRow {
                id: format!("d_{}", &platform::token()[..22]),
                person_id: person.map(|p| p.id),
                amount_cents: asked.amount_cents,
                currency: asked.currency,
                recurring: asked.recurring.as_str().into(),
                status: "pending".into(),
                provider: "development".into(),
                checkout_ref: None,
                subscription_ref: None,
                created_at: platform::now(),
                confirmed_at: None,
                canceled_at: None,
            };
            store::insert_donation(&ctx.env, &row).await?;
            let checkout_url = format!("/don/paiement-test/?don={}", row.id);
            respond::json_status(
                &json!({"id": row.id, "status": row.status, "checkout_url": checkout_url}),
                201,
            )
        }
        .await,
    )
}

/// The signed-in person's own donation, or 404 (another's is not told apart from none).
async fn own_donation(
    req: &Request,
    ctx: &RouteContext<()>,
) -> std::result::Result<DonationRow, ApiError> {
    let (_, person) = session::actor(req, &ctx.env).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let id = ctx.param("id").cloned().unwrap_or_default();
    store::donation(&ctx.env, &id)
        .await?
        .filter(|d| d.person_id.as_deref() == Some(person.id.as_str()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// `GET /api/donations`: mine, newest first.
pub async fn mine(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let (_, person) = session::actor(&req, &ctx.env).await?;
            let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
            let items: Vec<_> = store::donations_of(&ctx.env, &person.id)
                .await?
                .iter()
                .map(DonationRow::view)
                .collect();
            respond::json(&json!({"items": items, "next_cursor": null}))
        }
        .await,
    )
}

/// `DELETE /api/donations/{id}`: stops a running monthly gift.
pub async fn cancel(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let donation = own_donation(&req, &ctx).await?;
            if donation.status != "active" {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            store::cancel(&ctx.env, &donation.id, platform::now()).await?;
            respond::no_content()
        }
        .await,
    )
}

pub async fn summary(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let summary = store::summary(&ctx.env, platform::now() - YEAR).await?;
            respond::json(&summary)
        }
        .await,
    )
}

/// `POST /api/payments/webhook`: Stripe's signed events.
pub async fn webhook(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let signature = request::header(&req, "Stripe-Signature").unwrap_or_default();
    let body = req.bytes().await.unwrap_or_default();
    respond::outcome(receive(&ctx.env, &signature, &body).await)
}

/// Checks, then acts on one event exactly once: 400 for a bad signature (forged or stale), 409
/// for an event already processed.
async fn receive(env: &Env, signature: &str, body: &[u8]) -> Outcome {
    let secret = Config::from_env(env)
        .stripe_webhook_secret
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?;
    let now = platform::now();
    domain::stripe::verify(signature, body, &secret, now)?;
    let event = Event::parse(body)?;
    let effect = event.effect();
    for attempt in 0..3 {
        if store::event_seen(env, &event.id).await? {
            return Err(ApiError::on_field(ErrorCode::Conflict, "id"));
        }
        let (steps, movement) = plan(env, &event, &effect, now).await?;
        match store::commit(env, &steps, movement.as_ref(), &domain::time::rfc3339(now)).await {
            Ok(()) => return respond::json(&json!({"received": true})),
            // Another delivery or ledger append won the race: look again.
            Err(error) if attempt < 2 => worker::console_warn!("webhook retry: {error}"),
            Err(error) => return Err(crate::repo::unavailable("webhook", error)),
        }
    }
    Err(ApiError::new(ErrorCode::Unavailable))
}

/// The statements an event calls for, and the money it brings.
async fn plan<'a>(
    env: &Env,
    event: &Event,
    effect: &'a Effect,
    now: i64,
) -> std::result::Result<(Vec<Step>, Option<Movement<'a>>), ApiError> {
    let mut steps = vec![Step {
        sql: sql::INSERT_EVENT,
        args: vec![text(&event.id), text(&event.type_), int(now)],
    }];
    let confirm = |id: &str, subscription: Option<&str>| Step {
        sql: sql::CONFIRM_DONATION,
        args: vec![text(id), opt_text(subscription), int(now)],
    };
    let movement = match effect {
        Effect::CheckoutCompleted {
            donation_id,
            subscription,
            paid,
        } => {
            let Some(donation) = store::donation(env, donation_id).await? else {
                return Ok((steps, None));
            };
            steps.push(confirm(&donation.id, subscription.as_deref()));
            paid.as_ref().map(|payment| Movement {
                kind: EntryKind::Gift,
                reference: donation.reference(),
                payment,
            })
        }
        Effect::InvoicePaid {
            donation_id,
            subscription,
            payment,
        } => {
            let donation = match (donation_id, subscription) {
                (Some(id), _) => store::donation(env, id).await?,
                (None, Some(sub)) => store::donation_by_subscription(env, sub).await?,
                (None, None) => None,
            };
            let Some(donation) = donation else {
                return Ok((steps, None));
            };
            // The first invoice may come before the checkout's own event.
            steps.push(confirm(&donation.id, subscription.as_deref()));
            Some(Movement {
                kind: EntryKind::Gift,
                reference: donation.reference(),
                payment,
            })
        }
        Effect::SubscriptionEnded { subscription } => {
            if let Some(donation) = store::donation_by_subscription(env, subscription).await? {
                steps.push(Step {
                    sql: sql::CANCEL_DONATION,
                    args: vec![text(&donation.id), int(now)],
                });
            }
            None
        }
        Effect::Ignored => None,
    };
    Ok((steps, movement))
}

/// A development-only donation awaiting the test checkout, or 404.
async fn test_checkout(ctx: &RouteContext<()>) -> std::result::Result<DonationRow, ApiError> {
    if !Config::from_env(&ctx.env).development {
        return Err(ApiError::new(ErrorCode::NotFound));
    }
    let id = ctx.param("id").cloned().unwrap_or_default();
    store::donation(&ctx.env, &id)
        .await?
        .filter(|d| d.provider == "development")
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// `GET /api/dev/checkout/{id}`: what the test checkout page shows.
pub async fn dev_checkout(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(async { respond::json(&test_checkout(&ctx).await?.view()) }.await)
}

/// `POST /api/dev/checkout/{id}/pay`: pays as the provider would, by sending the webhook its
/// signed events — `checkout.session.completed`, and for a monthly gift the first `invoice.paid`.
pub async fn dev_pay(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let donation = test_checkout(&ctx).await?;
            if donation.status != "pending" {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            let secret = Config::from_env(&ctx.env)
                .stripe_webhook_secret
                .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?;
            for object in provider_objects(&donation) {
                let event = json!({
                    "id": format!("evt_dev_{}", &platform::token()[..20]),
                    "object": "event",
                    "type": object.0,
                    "data": {"object": object.1},
                });
                let body =
                    serde_json::to_vec(&event).map_err(|_| ApiError::new(ErrorCode::Internal))?;
                let signature = domain::stripe::sign(&body, &secret, platform::now());
                receive(&ctx.env, &signature, &body).await?;
            }
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
