//! Funding the commons: donations, stopping a monthly gift, gifts recorded by the treasurer,
//! and the public counters. The provider's events arrive at `webhook`.

use crate::handlers::{features, funding_pages, ledger, pledges, webhook};
use crate::payments::Payments;
use crate::repo::funding as donations;
use crate::repo::ledger::{Movement, commit_once};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use domain::access::Action;
use domain::donation::{
    DonationInput, DonationRow, DonationStatus, ManualInput, Payment, Recurring,
};
use domain::error::{ApiError, ErrorCode};
use domain::ledger::EntryKind;
use serde_json::json;
use store::funding::donations as steps;

/// The funding area's routes: donations and the provider's webhook, features and pledges, the
/// ledger, their pages, and in development builds the test checkout.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/funding/summary", get(summary))
        .route("/api/donations", post(create).get(mine))
        .route("/api/donations/manual", post(record_manual))
        .route("/api/donations/{id}", axum::routing::delete(cancel))
        .route("/api/payments/webhook", post(webhook::webhook))
        .route("/api/features", post(features::create).get(features::list))
        .route(
            "/api/features/{id}",
            get(features::show).patch(features::steer),
        )
        .route("/api/features/{id}/pledges", post(features::pledge))
        .route("/api/pledges", get(pledges::mine))
        .route(
            "/api/pledges/{id}",
            axum::routing::delete(pledges::withdraw),
        )
        .route("/api/pledges/{id}/move", post(pledges::move_to))
        .route("/api/pledges/{id}/refund", post(pledges::refund))
        .route("/api/ledger", get(ledger::list))
        .route("/api/ledger/verify", get(ledger::verify))
        .route("/api/ledger/latest", get(ledger::latest))
        .route("/api/ledger.csv", get(ledger::csv))
        .route("/api/ledger/expenses", post(ledger::expense))
        .route("/financer", get(funding_pages::features))
        .route("/financer/", get(funding_pages::features))
        .route("/financer/{id}/", get(funding_pages::feature))
        .route("/transparence", get(funding_pages::transparency))
        .route("/transparence/", get(funding_pages::transparency))
}

/// A new one-off donation's row, pending, under a fresh id (its provider to be named).
fn pending(app: &App, person_id: Option<String>, payment: (i64, String), now: i64) -> DonationRow {
    DonationRow {
        id: format!("d_{}", &app.token()[..22]),
        person_id,
        amount_cents: payment.0,
        currency: payment.1,
        recurring: Recurring::None,
        status: DonationStatus::Pending,
        provider: String::new(),
        checkout_ref: None,
        subscription_ref: None,
        created_at: now,
        confirmed_at: None,
        canceled_at: None,
    }
}

/// `POST /api/donations`: a pending donation and where to pay it.
pub async fn create(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let person = session::allowed(&req, &app, Action::Donate).await?;
    let asked = req.json::<DonationInput>().await?.check()?;
    let payments = Payments::of(&app)?;
    let row = DonationRow {
        recurring: asked.recurring,
        provider: payments.name().into(),
        ..pending(
            &app,
            person.map(|p| p.id),
            (asked.amount_cents, asked.currency),
            app.now(),
        )
    };
    donations::insert_donation(&app, &row).await?;
    let site = &app.config.site_url;
    let (session, checkout_url) = payments.donation_checkout(&row, site).await?;
    if let Some(session) = session {
        donations::set_checkout(&app, &row.id, &session).await?;
    }
    respond::json_status(
        &json!({"id": row.id, "status": row.status, "checkout_url": checkout_url}),
        201,
    )
}

/// The signed-in person's own donation, or 404 (another's is not told apart from none).
async fn own_donation(req: &Req, app: &App) -> Result<DonationRow, ApiError> {
    let (_, person) = session::actor(req, app).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    donations::donation(app, &req.param("id"))
        .await?
        .filter(|d| d.person_id.as_deref() == Some(person.id.as_str()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// `GET /api/donations`: mine, newest first.
pub async fn mine(State(app): State<App>, req: Req) -> Outcome {
    let (_, person) = session::actor(&req, &app).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let items: Vec<_> = donations::donations_of(&app, &person.id)
        .await?
        .iter()
        .map(DonationRow::view)
        .collect();
    respond::json(&json!({"items": items, "next_cursor": null}))
}

/// `DELETE /api/donations/{id}`: stops a running monthly gift.
pub async fn cancel(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let donation = own_donation(&req, &app).await?;
    if donation.status != DonationStatus::Active {
        return Err(ApiError::on_field(ErrorCode::Conflict, "status").into());
    }
    if let (Some(subscription), "stripe") = (&donation.subscription_ref, donation.provider.as_str())
    {
        Payments::of(&app)?
            .cancel_subscription(subscription)
            .await?;
    }
    donations::cancel(&app, &donation.id, app.now()).await?;
    respond::no_content()
}

/// `GET /api/funding/summary`: the public counters.
pub async fn summary(State(app): State<App>) -> Outcome {
    let year_ago = domain::donation::donors_since(app.now());
    respond::json(&donations::summary(&app, year_ago).await?)
}

/// `POST /api/donations/manual` (the treasurer): a gift received by transfer, cheque or cash,
/// confirmed at once and entered in the ledger; the same bank reference twice is refused.
pub async fn record_manual(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    session::allowed(&req, &app, Action::RecordManualPayment).await?;
    let gift = req.json::<ManualInput>().await?.check()?;
    if crate::repo::ledger::has_source(&app, &gift.source).await? {
        return Err(ApiError::on_field(ErrorCode::Conflict, "reference").into());
    }
    let now = app.now();
    let row = DonationRow {
        provider: "manual".into(),
        ..pending(&app, None, (gift.amount_cents, gift.currency.clone()), now)
    };
    let steps = [steps::insert(&row), steps::confirm(&row.id, None, now)];
    let movement = Movement {
        kind: EntryKind::Gift,
        reference: row.reference(),
        payment: Payment {
            amount_cents: gift.amount_cents,
            currency: gift.currency,
            source: gift.source,
        },
    };
    commit_once(&app, &steps, &[movement], now)
        .await
        .map_err(|e| match e.code {
            ErrorCode::Conflict => ApiError::on_field(ErrorCode::Conflict, "reference"),
            _ => e,
        })?;
    let saved = donations::donation(&app, &row.id).await?.map(|d| d.view());
    respond::json_status(&saved, 201)
}
