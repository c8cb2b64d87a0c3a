//! A backer's pledges: theirs listed, withdrawn while the feature is not funded, moved to
//! another feature once released; and refunds by the treasurer.

use crate::handlers::features::{self, Asked};
use crate::payments::Payments;
use crate::repo::features as repo;
use crate::repo::ledger::{Movement, commit_retrying};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session, settle};
use axum::extract::State;
use domain::access::Action;
use domain::donation::Payment;
use domain::error::{ApiError, ErrorCode};
use domain::funding::PledgeStatus;
use domain::ledger::EntryKind;
use domain::pledge::{MoveInput, PledgeRow};
use serde_json::json;
use store::features::pledge;

/// The signed-in person's own pledge named in the path, or 404 (another's is not told apart).
async fn own(req: &Req, app: &App) -> Result<(PledgeRow, String), ApiError> {
    let (_, person) = session::actor(req, app).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let pledge = repo::pledge(app, &req.param("id"))
        .await?
        .filter(|p| p.person_id.as_deref() == Some(person.id.as_str()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    Ok((pledge, person.id))
}

/// 409 on the pledge's status.
fn status_conflict() -> ApiError {
    ApiError::on_field(ErrorCode::Conflict, "status")
}

/// `GET /api/pledges`: mine, newest first.
pub async fn mine(State(app): State<App>, req: Req) -> Outcome {
    let (_, person) = session::actor(&req, &app).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let items: Vec<_> = repo::pledges_of(&app, &person.id)
        .await?
        .iter()
        .map(PledgeRow::view)
        .collect();
    respond::json(&json!({"items": items, "next_cursor": null}))
}

/// `DELETE /api/pledges/{id}`: 204 while the feature is not funded, else 409.
pub async fn withdraw(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let (pledge, _) = own(&req, &app).await?;
    let now = app.now();
    let steps = [pledge::withdraw(&pledge.id, now)];
    let feature = repo::feature(&app, &pledge.feature_id)
        .await?
        .ok_or_else(status_conflict)?;
    domain::funding::withdraw(pledge.status, feature.status, feature.deadline, now)
        .map_err(|_| status_conflict())?;
    commit_retrying(&app, &steps, &settle::released(&pledge), now).await?;
    // A charge may have claimed it meanwhile: then nothing was withdrawn nor released.
    match repo::pledge(&app, &pledge.id).await? {
        Some(now) if now.status == PledgeStatus::Withdrawn => respond::no_content(),
        _ => Err(status_conflict().into()),
    }
}

/// `POST /api/pledges/{id}/move {"feature_id"}`: a pledge released by an expired or declined
/// feature goes to another feature still funding. Moving twice makes one new pledge.
pub async fn move_to(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let (pledge, person) = own(&req, &app).await?;
    if pledge.status != PledgeStatus::Released {
        return Err(status_conflict().into());
    }
    let target = req.json::<MoveInput>().await?.feature_id;
    let feature = repo::feature(&app, &target)
        .await?
        .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "feature_id"))?;
    let key = format!("move-{}", pledge.id);
    let asked = Asked {
        feature: &feature,
        person_id: &person,
        amount_cents: pledge.amount_cents.min(feature.goal_cents),
        key: Some(&key),
        moved_from: Some(&pledge.id),
    };
    respond::json_status(&features::place(&app, &asked).await?, 201)
}

/// `POST /api/pledges/{id}/refund` (the treasurer): pays a charged pledge back and enters the
/// refund in the ledger.
pub async fn refund(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    session::allowed(&req, &app, Action::RecordManualPayment).await?;
    let id = req.param("id");
    let pledge = repo::pledge(&app, &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let payment = match (pledge.status, &pledge.charge_ref) {
        (PledgeStatus::Charged, Some(payment)) => payment.clone(),
        _ => return Err(status_conflict().into()),
    };
    let refund = Payments::of(&app)?.refund(&payment).await?;
    let now = app.now();
    let steps = [pledge::refunded(&pledge.id, now)];
    let movement = Movement {
        kind: EntryKind::Refund,
        reference: pledge.reference(),
        payment: Payment {
            amount_cents: pledge.amount_cents,
            currency: pledge.currency.clone(),
            source: refund,
        },
    };
    commit_retrying(&app, &steps, &[movement], now).await?;
    let pledge = repo::pledge(&app, &id).await?.map(|p| p.view());
    respond::json(&pledge)
}
