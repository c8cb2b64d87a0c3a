//! Funding the commons: donations, the provider's webhook, the public counters and ledger.
//! In local development a built-in checkout stands in for the provider's hosted page and sends
//! the same signed events (`handlers::dev_checkout`).

use crate::payments::Payments;
use crate::repo::features as pledges;
use crate::repo::funding::{self as store, Movement, Step};
use crate::repo::{int, opt_text, text};
use crate::respond::{self, Outcome};
use crate::{platform, request, session, settle};
use ::store::funding as sql;
use domain::access::Action;
use domain::donation::{
    DonationInput, DonationRow, Effect, Event, ManualInput, PaidBack, Payment, Recurring,
};
use domain::error::{ApiError, ErrorCode};
use domain::ledger::EntryKind;
use serde_json::json;
use worker::{Env, Request, Response, Result, RouteContext};

/// `POST /api/donations`: a pending donation and where to pay it.
pub async fn create(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let person = session::allowed(&req, &ctx.env, Action::Donate).await?;
            let asked = request::json::<DonationInput>(&mut req).await?.check()?;
            let payments = Payments::of(&crate::config::from_env(&ctx.env))?;
            let row = DonationRow {
                id: format!("d_{}", &platform::token()[..22]),
                person_id: person.map(|p| p.id),
                amount_cents: asked.amount_cents,
                currency: asked.currency,
                recurring: asked.recurring.as_str().into(),
                status: "pending".into(),
                provider: payments.name().into(),
                checkout_ref: None,
                subscription_ref: None,
                created_at: platform::now(),
                confirmed_at: None,
                canceled_at: None,
            };
            store::insert_donation(&ctx.env, &row).await?;
            let site = crate::config::from_env(&ctx.env).site_url;
            let (session, checkout_url) = payments.donation_checkout(&row, &site).await?;
            if let Some(session) = session {
                store::set_checkout(&ctx.env, &row.id, &session).await?;
            }
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
            if let (Some(subscription), "stripe") =
                (&donation.subscription_ref, donation.provider.as_str())
            {
                Payments::of(&crate::config::from_env(&ctx.env))?
                    .cancel_subscription(subscription)
                    .await?;
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
            let summary =
                store::summary(&ctx.env, domain::donation::donors_since(platform::now())).await?;
            respond::json(&summary)
        }
        .await,
    )
}

/// `POST /api/payments/webhook`: Stripe's signed events.
pub async fn webhook(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let signature = request::header(&req, "Stripe-Signature").unwrap_or_default();
    let body = req.bytes().await.unwrap_or_default();
    // The links its mails carry lead to the configured site, never to a Host a request names.
    let site = crate::config::from_env(&ctx.env).site_url;
    respond::outcome(receive(&ctx.env, &signature, &body, &site).await)
}

/// Checks, then acts on one event exactly once: 400 for a bad signature (forged or stale). An
/// event already processed is answered 200 and moves nothing: Stripe counts any other answer as
/// a failed delivery and sends it again for days.
pub async fn receive(env: &Env, signature: &str, body: &[u8], site: &str) -> Outcome {
    let secret = crate::config::from_env(env)
        .stripe_webhook_secret
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?;
    let now = platform::now();
    domain::stripe::verify(signature, body, &secret, now)?;
    let event = Event::parse(body)?;
    let effect = event.effect();
    for attempt in 0..3 {
        if store::event_seen(env, &event.id).await? {
            return respond::json(&json!({"received": true, "duplicate": true}));
        }
        let (steps, movements, features) = plan(env, &event, &effect, now).await?;
        match store::commit(env, &steps, &movements, &domain::time::rfc3339(now), true).await {
            Ok(()) => {
                store::seal_after(env, &movements).await?;
                // Cards saved: the pledges now count, and may reach a goal.
                for feature in features {
                    settle::after_commit(env, &feature, site).await?;
                }
                return respond::json(&json!({"received": true}));
            }
            // Another delivery or ledger append won the race: look again.
            Err(error) if attempt < 2 => worker::console_warn!("webhook retry: {error}"),
            Err(error) => return Err(crate::repo::database_error("webhook", error)),
        }
    }
    Err(ApiError::new(ErrorCode::Unavailable))
}

/// What an event calls for: the statements, the money it brings, and the features whose
/// pledges it commits.
type Plan = (Vec<Step>, Vec<Movement>, Vec<String>);

async fn plan(
    env: &Env,
    event: &Event,
    effect: &Effect,
    now: i64,
) -> std::result::Result<Plan, ApiError> {
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
                return Ok((steps, Vec::new(), Vec::new()));
            };
            steps.push(confirm(&donation.id, subscription.as_deref()));
            paid.iter()
                .map(|payment| Movement {
                    kind: EntryKind::Gift,
                    reference: donation.reference(),
                    payment: payment.clone(),
                })
                .collect()
        }
        Effect::InvoicePaid {
            donation_id,
            subscription,
            payment,
            also_named,
        } => {
            steps.push(name_payment(&payment.source, also_named));
            let donation = match (donation_id, subscription) {
                (Some(id), _) => store::donation(env, id).await?,
                (None, Some(sub)) => store::donation_by_subscription(env, sub).await?,
                (None, None) => None,
            };
            let Some(donation) = donation else {
                return Ok((steps, Vec::new(), Vec::new()));
            };
            // The first invoice may come before the checkout's own event.
            steps.push(confirm(&donation.id, subscription.as_deref()));
            vec![Movement {
                kind: EntryKind::Gift,
                reference: donation.reference(),
                payment: payment.clone(),
            }]
        }
        Effect::Refunded { paid_by, refunds } => {
            let Some(paid) = store::refunded_payment(env, paid_by).await? else {
                return Ok((steps, Vec::new(), Vec::new()));
            };
            match paid.paid_back(refunds) {
                Some(PaidBack::Pledge(id)) => steps.push(Step {
                    sql: ::store::features::REFUNDED,
                    args: vec![text(&id), int(now)],
                }),
                Some(PaidBack::Donation(id)) => steps.push(Step {
                    sql: sql::DONATION_PAID_BACK,
                    args: vec![text(&id), int(now)],
                }),
                None => {}
            }
            refunds
                .iter()
                .map(|payment| Movement {
                    kind: EntryKind::Refund,
                    reference: paid.reference.clone(),
                    payment: payment.clone(),
                })
                .collect()
        }
        Effect::SetupCompleted {
            pledge_id,
            setup_intent,
            customer,
        } => {
            let pledge = pledges::pledge(env, pledge_id).await?;
            let (Some(person), Some(setup_intent), Some(customer)) = (
                pledge.and_then(|p| p.person_id),
                setup_intent.as_deref(),
                customer.as_deref(),
            ) else {
                return Ok((steps, Vec::new(), Vec::new()));
            };
            let payments = Payments::of(&crate::config::from_env(env))?;
            let card = payments.saved_card(setup_intent).await?;
            let features = pledges::features_of_pending(env, &person).await?;
            steps.push(Step {
                sql: ::store::features::SAVE_METHOD,
                args: vec![
                    text(&person),
                    text(payments.name()),
                    text(customer),
                    text(&card),
                    int(now),
                ],
            });
            steps.push(Step {
                sql: ::store::features::COMMIT_PENDING,
                args: vec![text(&person), int(now)],
            });
            return Ok((steps, Vec::new(), features));
        }
        Effect::SubscriptionEnded { subscription } => {
            if let Some(donation) = store::donation_by_subscription(env, subscription).await? {
                steps.push(Step {
                    sql: sql::CANCEL_DONATION,
                    args: vec![text(&donation.id), int(now)],
                });
            }
            Vec::new()
        }
        Effect::InvoicePaymentNamed { invoice, names } => {
            steps.push(name_payment(invoice, names));
            Vec::new()
        }
        Effect::PaymentFailed { donation_id } => {
            steps.push(Step {
                sql: sql::FAIL_DONATION,
                args: vec![text(donation_id), int(now)],
            });
            Vec::new()
        }
        // The event is recorded as seen; the money comes with `…async_payment_succeeded`.
        Effect::AwaitingPayment { .. } | Effect::Ignored => Vec::new(),
    };
    Ok((steps, movement, Vec::new()))
}

/// Keeps the provider's other names for the payment entered under `source`.
fn name_payment(source: &str, names: &[String]) -> Step {
    Step {
        sql: sql::NAME_PAYMENT,
        args: vec![
            text(source),
            text(&serde_json::to_string(names).unwrap_or_default()),
        ],
    }
}

/// `POST /api/donations/manual` (the treasurer): a gift received by transfer, cheque or cash,
/// confirmed at once and entered in the ledger; the same bank reference twice is refused.
pub async fn record_manual(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            session::allowed(&req, &ctx.env, Action::RecordManualPayment).await?;
            let gift = request::json::<ManualInput>(&mut req).await?.check()?;
            if store::has_source(&ctx.env, &gift.source).await? {
                return Err(ApiError::on_field(ErrorCode::Conflict, "reference"));
            }
            let now = platform::now();
            let row = DonationRow {
                id: format!("d_{}", &platform::token()[..22]),
                person_id: None,
                amount_cents: gift.amount_cents,
                currency: gift.currency.clone(),
                recurring: Recurring::None.as_str().into(),
                status: "pending".into(),
                provider: "manual".into(),
                checkout_ref: None,
                subscription_ref: None,
                created_at: now,
                confirmed_at: None,
                canceled_at: None,
            };
            let steps = [
                store::insert_step(&row),
                Step {
                    sql: sql::CONFIRM_DONATION,
                    args: vec![text(&row.id), opt_text(None), int(now)],
                },
            ];
            let movement = Movement {
                kind: EntryKind::Gift,
                reference: row.reference(),
                payment: Payment {
                    amount_cents: gift.amount_cents,
                    currency: gift.currency,
                    source: gift.source,
                },
            };
            store::commit_once(&ctx.env, &steps, &[movement], now)
                .await
                .map_err(|e| match e.code {
                    ErrorCode::Conflict => ApiError::on_field(ErrorCode::Conflict, "reference"),
                    _ => e,
                })?;
            let saved = store::donation(&ctx.env, &row.id).await?.map(|d| d.view());
            respond::json_status(&saved, 201)
        }
        .await,
    )
}
