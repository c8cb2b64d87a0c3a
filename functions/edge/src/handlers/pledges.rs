//! A backer's pledges: theirs listed, withdrawn while the feature is not funded, moved to
//! another feature once released; and refunds by the treasurer.

use crate::handlers::features::{self, Asked};
use crate::payments::Payments;
use crate::repo::features as repo;
use crate::repo::funding::{Movement, Step, commit_retrying};
use crate::repo::{int, text};
use crate::respond;
use crate::{platform, request, session, settle};
use ::store::features as sql;
use domain::access::Action;
use domain::donation::Payment;
use domain::error::{ApiError, ErrorCode};
use domain::ledger::EntryKind;
use domain::pledge::{MoveInput, PledgeRow};
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

/// The signed-in person's own pledge named in the path, or 404 (another's is not told apart).
async fn own(
    req: &Request,
    ctx: &RouteContext<()>,
) -> std::result::Result<(PledgeRow, String), ApiError> {
    let (_, person) = session::actor(req, &ctx.env).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let id = ctx.param("id").cloned().unwrap_or_default();
    let pledge = repo::pledge(&ctx.env, &id)
        .await?
        .filter(|p| p.person_id.as_deref() == Some(person.id.as_str()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    Ok((pledge, person.id))
}

/// `GET /api/pledges`: mine, newest first.
pub async fn mine(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let (_, person) = session::actor(&req, &ctx.env).await?;
            let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
            let items: Vec<_> = repo::pledges_of(&ctx.env, &person.id)
                .await?
                .iter()
                .map(PledgeRow::view)
                .collect();
            respond::json(&json!({"items": items, "next_cursor": null}))
        }
        .await,
    )
}

/// `DELETE /api/pledges/{id}`: 204 while the feature is not funded, else 409.
pub async fn withdraw(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let (pledge, _) = own(&req, &ctx).await?;
            let now = platform::now();
            let steps = [Step {
                sql: sql::WITHDRAW,
                args: vec![text(&pledge.id), int(now)],
            }];
            if !matches!(pledge.status.as_str(), "pending" | "committed") {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            let open = repo::feature(&ctx.env, &pledge.feature_id)
                .await?
                .is_some_and(|f| matches!(f.status.as_str(), "proposed" | "funding"));
            if !open {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            commit_retrying(&ctx.env, &steps, &settle::released(&pledge), now).await?;
            // A charge may have claimed it meanwhile: then nothing was withdrawn nor released.
            match repo::pledge(&ctx.env, &pledge.id).await? {
                Some(now) if now.status == "withdrawn" => respond::no_content(),
                _ => Err(ApiError::on_field(ErrorCode::Conflict, "status")),
            }
        }
        .await,
    )
}

/// `POST /api/pledges/{id}/move {"feature_id"}`: a pledge released by an expired or declined
/// feature goes to another feature still funding. Moving twice makes one new pledge.
pub async fn move_to(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let (pledge, person) = own(&req, &ctx).await?;
            if pledge.status != "released" {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            let target = request::json::<MoveInput>(&mut req).await?.feature_id;
            let feature = repo::feature(&ctx.env, &target)
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
            let site = crate::config::from_env(&ctx.env).site_url;
            respond::json_status(&features::place(&ctx.env, &asked, &site).await?, 201)
        }
        .await,
    )
}

/// `POST /api/pledges/{id}/refund` (the treasurer): pays a charged pledge back and enters the
/// refund in the ledger.
pub async fn refund(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            session::allowed(&req, &ctx.env, Action::RecordManualPayment).await?;
            let id = ctx.param("id").cloned().unwrap_or_default();
            let pledge = repo::pledge(&ctx.env, &id)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let payment = match (pledge.status.as_str(), &pledge.charge_ref) {
                ("charged", Some(payment)) => payment.clone(),
                _ => return Err(ApiError::on_field(ErrorCode::Conflict, "status")),
            };
            let refund = Payments::of(&crate::config::from_env(&ctx.env))?
                .refund(&payment)
                .await?;
            let now = platform::now();
            let steps = [Step {
                sql: sql::REFUNDED,
                args: vec![text(&pledge.id), int(now)],
            }];
            let movement = Movement {
                kind: EntryKind::Refund,
                reference: pledge.reference(),
                payment: Payment {
                    amount_cents: pledge.amount_cents,
                    currency: pledge.currency.clone(),
                    source: refund,
                },
            };
            commit_retrying(&ctx.env, &steps, &[movement], now).await?;
            let pledge = repo::pledge(&ctx.env, &id).await?.map(|p| p.view());
            respond::json(&pledge)
        }
        .await,
    )
}
