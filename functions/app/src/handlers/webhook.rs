//! The payment provider's webhook: Stripe's signed events, each acted on exactly once. In local
//! development the test checkout sends the same signed events (`handlers::dev_checkout`).

use crate::payments::Payments;
use crate::repo::features as pledges;
use crate::repo::funding as donations;
use crate::repo::ledger::{self, Movement};
use crate::repo::{Statement, database_error};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, settle};
use axum::extract::State;
use domain::donation::{DonationRow, Effect, Event, PaidBack, Payment};
use domain::error::{ApiError, ErrorCode};
use domain::ledger::EntryKind;
use serde_json::json;
use store::features::pledge;
use store::funding::donations as steps;

/// The largest event read: Stripe's are a few kilobytes; a larger body is no event of theirs
/// (read as empty, it fails the signature).
const MAX_EVENT_BYTES: usize = 1024 * 1024;

/// `POST /api/payments/webhook`: Stripe's signed events.
pub async fn webhook(State(app): State<App>, mut req: Req) -> Outcome {
    let signature = req.header("Stripe-Signature").unwrap_or_default();
    let body = req.bytes(MAX_EVENT_BYTES).await.unwrap_or_default();
    receive(&app, &signature, &body).await
}

/// Checks, then acts on one event exactly once: 400 for a bad signature (forged or stale). An
/// event already processed is answered 200 and moves nothing: Stripe counts any other answer as
/// a failed delivery and sends it again for days. The links its mails carry lead to the
/// configured site, never to a Host a request names.
pub async fn receive(app: &App, signature: &str, body: &[u8]) -> Outcome {
    let secret = app
        .config
        .stripe_webhook_secret
        .as_deref()
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?;
    let now = app.now();
    domain::stripe::verify(signature, body, secret, now).map_err(ApiError::from)?;
    let event = Event::parse(body)?;
    let effect = event.effect();
    for attempt in 0..3 {
        if donations::event_seen(app, &event.id).await? {
            return respond::json(&json!({"received": true, "duplicate": true}));
        }
        let (steps, movements, features) = plan(app, &event, &effect, now).await?;
        let at = domain::time::rfc3339(now);
        match ledger::commit(app, &steps, &movements, &at, true).await {
            Ok(()) => {
                ledger::seal_after(app, &movements).await?;
                // Cards saved: the pledges now count, and may reach a goal.
                for feature in features {
                    settle::after_commit(app, &feature).await?;
                }
                return respond::json(&json!({"received": true}));
            }
            // Another delivery or ledger append won the race: look again.
            Err(error) if attempt < 2 => crate::log::error(&format!("webhook retry: {error}")),
            Err(error) => return Err(database_error("webhook", error).into()),
        }
    }
    Err(ApiError::new(ErrorCode::Unavailable).into())
}

/// What an event calls for: the statements, the money it brings, and the features whose
/// pledges it commits.
type Plan = (Vec<Statement>, Vec<Movement>, Vec<String>);

async fn plan(app: &App, event: &Event, effect: &Effect, now: i64) -> Result<Plan, ApiError> {
    let mut steps = vec![steps::insert_event(&event.id, &event.type_, now)];
    let movements = match effect {
        Effect::CheckoutCompleted {
            donation_id,
            subscription,
            paid,
        } => {
            let Some(donation) = donations::donation(app, donation_id).await? else {
                return Ok((steps, Vec::new(), Vec::new()));
            };
            steps.push(steps::confirm(&donation.id, subscription.as_deref(), now));
            paid.iter().map(|p| gift(&donation, p)).collect()
        }
        Effect::InvoicePaid {
            donation_id,
            subscription,
            payment,
            also_named,
        } => {
            steps.push(steps::name_payment(&payment.source, also_named));
            let donation = match (donation_id, subscription) {
                (Some(id), _) => donations::donation(app, id).await?,
                (None, Some(sub)) => donations::donation_by_subscription(app, sub).await?,
                (None, None) => None,
            };
            let Some(donation) = donation else {
                return Ok((steps, Vec::new(), Vec::new()));
            };
            // The first invoice may come before the checkout's own event.
            steps.push(steps::confirm(&donation.id, subscription.as_deref(), now));
            vec![gift(&donation, payment)]
        }
        Effect::Refunded { paid_by, refunds } => {
            refunded(app, paid_by, refunds, &mut steps, now).await?
        }
        Effect::SetupCompleted {
            pledge_id,
            setup_intent,
            customer,
        } => {
            let card = (setup_intent.as_deref(), customer.as_deref());
            let features = card_saved(app, pledge_id, card, &mut steps, now).await?;
            return Ok((steps, Vec::new(), features));
        }
        Effect::SubscriptionEnded { subscription } => {
            if let Some(donation) = donations::donation_by_subscription(app, subscription).await? {
                steps.push(steps::cancel(&donation.id, now));
            }
            Vec::new()
        }
        Effect::InvoicePaymentNamed { invoice, names } => {
            steps.push(steps::name_payment(invoice, names));
            Vec::new()
        }
        Effect::PaymentFailed { donation_id } => {
            steps.push(steps::fail(donation_id, now));
            Vec::new()
        }
        // The event is recorded as seen; the money comes with `…async_payment_succeeded`.
        Effect::AwaitingPayment { .. } | Effect::Ignored => Vec::new(),
    };
    Ok((steps, movements, Vec::new()))
}

/// A gift received for `donation`.
fn gift(donation: &DonationRow, payment: &Payment) -> Movement {
    Movement {
        kind: EntryKind::Gift,
        reference: donation.reference(),
        payment: payment.clone(),
    }
}

/// Money paid back: what it pays back changes state (a pledge refunded, a gift paid back in
/// full), and each refund is a movement; nothing when the ledger never entered the payment.
async fn refunded(
    app: &App,
    paid_by: &[String],
    refunds: &[Payment],
    steps: &mut Vec<Statement>,
    now: i64,
) -> Result<Vec<Movement>, ApiError> {
    let Some(paid) = ledger::refunded_payment(app, paid_by).await? else {
        return Ok(Vec::new());
    };
    match paid.paid_back(refunds) {
        Some(PaidBack::Pledge(id)) => steps.push(pledge::refunded(&id, now)),
        Some(PaidBack::Donation(id)) => steps.push(steps::paid_back(&id, now)),
        None => {}
    }
    let movement = |payment: &Payment| Movement {
        kind: EntryKind::Refund,
        reference: paid.reference.clone(),
        payment: payment.clone(),
    };
    Ok(refunds.iter().map(movement).collect())
}

/// A backer saved a card (`setup_intent`, `customer`) for a pledge: the card is kept and their
/// pending pledges commit; the features those pledges are on.
async fn card_saved(
    app: &App,
    pledge_id: &str,
    (setup_intent, customer): (Option<&str>, Option<&str>),
    steps: &mut Vec<Statement>,
    now: i64,
) -> Result<Vec<String>, ApiError> {
    let pledge = pledges::pledge(app, pledge_id).await?;
    let (Some(person), Some(setup_intent), Some(customer)) =
        (pledge.and_then(|p| p.person_id), setup_intent, customer)
    else {
        return Ok(Vec::new());
    };
    let payments = Payments::of(app)?;
    let card = payments.saved_card(setup_intent).await?;
    let features = pledges::features_of_pending(app, &person).await?;
    let provider = payments.name();
    steps.push(pledge::save_method(
        &person,
        provider,
        customer,
        Some(&card),
        now,
    ));
    steps.push(pledge::commit_pending(&person, now));
    Ok(features)
}
