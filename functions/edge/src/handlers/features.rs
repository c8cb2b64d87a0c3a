//! Features to co-fund: proposals by donors and admins, the list and one feature, admins'
//! steering, and pledges (all or nothing: charged only once the goal is reached).

use crate::payments::Payments;
use crate::repo::features::{self as repo, NewPledge};
use crate::respond;
use crate::{platform, request, session, settle};
use domain::access::Action;
use domain::error::{ApiError, ErrorCode};
use domain::feature::{FeatureInput, FeatureRow, SteerInput};
use domain::funding::FeatureStatus;
use domain::pledge::{PledgeInput, PledgeRow, idempotency_key};
use serde_json::{Value, json};
use worker::{Env, Request, Response, Result, RouteContext};

/// The feature named in the path, or 404.
pub async fn named(ctx: &RouteContext<()>) -> std::result::Result<FeatureRow, ApiError> {
    let id = ctx.param("id").cloned().unwrap_or_default();
    repo::feature(&ctx.env, &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// A feature with the statuses it reached, for its page and the API.
pub async fn detail(env: &Env, row: &FeatureRow) -> std::result::Result<Value, ApiError> {
    let mut view = serde_json::to_value(row.view(platform::now()))
        .map_err(|_| ApiError::new(ErrorCode::Internal))?;
    let history: Vec<Value> = repo::history(env, &row.id)
        .await?
        .into_iter()
        .map(|r| json!({"status": r.status, "at": domain::time::rfc3339(r.at)}))
        .collect();
    view["history"] = Value::Array(history);
    Ok(view)
}

/// `POST /api/features`: donors and instance admins propose; funding opens at once.
pub async fn create(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let person = session::allowed(&req, &ctx.env, Action::ProposeFeature).await?;
            let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
            let now = platform::now();
            let asked = request::json::<FeatureInput>(&mut req).await?.check(now)?;
            let id = format!("f_{}", &platform::token()[..16]);
            repo::insert_feature(&ctx.env, &id, &asked, &person.id, now).await?;
            let row = repo::feature(&ctx.env, &id)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::Internal))?;
            respond::json_status(&detail(&ctx.env, &row).await?, 201)
        }
        .await,
    )
}

/// `GET /api/features?status=`.
pub async fn list(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let status = match request::query(&req, "status").filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(
                    FeatureStatus::parse(&s)
                        .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "status"))?,
                ),
            };
            let now = platform::now();
            let items: Vec<_> = repo::features(&ctx.env, status.map(FeatureStatus::as_str), now)
                .await?
                .iter()
                .map(|f| f.view(now))
                .collect();
            respond::json(&json!({"items": items, "next_cursor": null}))
        }
        .await,
    )
}

/// `GET /api/features/{id}`.
pub async fn show(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(async { respond::json(&detail(&ctx.env, &named(&ctx).await?).await?) }.await)
}

/// `PATCH /api/features/{id}` (instance admins): decline, start, deliver, or move the deadline
/// of a feature still funding. Declining lets its pledges go without charge.
pub async fn steer(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            session::allowed(&req, &ctx.env, Action::SteerFeature).await?;
            let row = named(&ctx).await?;
            let now = platform::now();
            let asked = request::json::<SteerInput>(&mut req)
                .await?
                .check(row.status(now), now)?;
            let status = asked.status.as_str();
            if !repo::steer(&ctx.env, &row, status, asked.deadline, now).await? {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            if asked.status == FeatureStatus::Declined {
                settle::release_due(&ctx.env, now).await?;
            }
            let row = named(&ctx).await?;
            respond::json(&detail(&ctx.env, &row).await?)
        }
        .await,
    )
}

/// `POST /api/features/{id}/pledges` (+ `Idempotency-Key`): committed at once when the backer
/// has a saved card, else pending with the page where they save one.
pub async fn pledge(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let person = session::allowed(&req, &ctx.env, Action::Pledge).await?;
            let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
            let key = idempotency_key(request::header(&req, "Idempotency-Key").as_deref())?;
            let feature = named(&ctx).await?;
            let amount = request::json::<PledgeInput>(&mut req)
                .await?
                .check(feature.goal_cents)?;
            let site = crate::config::from_env(&ctx.env).site_url;
            let asked = Asked {
                feature: &feature,
                person_id: &person.id,
                amount_cents: amount,
                key: key.as_deref(),
                moved_from: None,
            };
            respond::json_status(&place(&ctx.env, &asked, &site).await?, 201)
        }
        .await,
    )
}

/// A pledge to place on a feature.
pub struct Asked<'a> {
    pub feature: &'a FeatureRow,
    pub person_id: &'a str,
    pub amount_cents: i64,
    pub key: Option<&'a str>,
    pub moved_from: Option<&'a str>,
}

/// Places a pledge (or finds the one the same key placed), then settles the feature when it
/// counts; the answer `{"id","status","setup_url"?,"feature"}`.
pub async fn place(
    env: &Env,
    asked: &Asked<'_>,
    site: &str,
) -> std::result::Result<Value, ApiError> {
    let now = platform::now();
    let feature = asked.feature;
    let earlier = match asked.key {
        Some(key) => repo::pledge_by_key(env, asked.person_id, key).await?,
        None => None,
    };
    let pledge = match earlier {
        Some(p) if p.feature_id != feature.id || p.amount_cents != asked.amount_cents => {
            return Err(ApiError::on_field(ErrorCode::Conflict, "Idempotency-Key"));
        }
        Some(p) => p,
        None => {
            if !feature.status(now).accepts_pledges() {
                return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
            }
            let id = format!("p_{}", &platform::token()[..20]);
            let new = NewPledge {
                id: &id,
                feature_id: &feature.id,
                person_id: asked.person_id,
                amount_cents: asked.amount_cents,
                currency: &feature.currency,
                key: asked.key,
                moved_from: asked.moved_from,
            };
            let inserted = repo::insert_pledge(env, &new, now).await?;
            let found = match (inserted, asked.key) {
                (true, _) => repo::pledge(env, &id).await?,
                // The same key won a race a moment ago: its pledge stands.
                (false, Some(key)) => repo::pledge_by_key(env, asked.person_id, key).await?,
                (false, None) => None,
            };
            let pledge = found.ok_or_else(|| ApiError::on_field(ErrorCode::Conflict, "status"))?;
            if pledge.status != "committed" {
                pledge
            } else {
                settle::after_commit(env, &feature.id, site).await?;
                // The goal reached, it may be charged already: the backer is told as it is now.
                repo::pledge(env, &pledge.id).await?.unwrap_or(pledge)
            }
        }
    };
    let mut body = json!({"id": pledge.id, "status": pledge.status});
    if pledge.status == "pending" {
        body["setup_url"] = setup_url(env, &pledge, asked.person_id, site).await?.into();
    }
    if let Some(now_row) = repo::feature(env, &feature.id).await? {
        body["feature"] = serde_json::to_value(now_row.view(now)).unwrap_or(Value::Null);
    }
    Ok(body)
}

/// Where the backer saves a card: the provider's setup page, with a customer made once.
async fn setup_url(
    env: &Env,
    pledge: &PledgeRow,
    person_id: &str,
    site: &str,
) -> std::result::Result<String, ApiError> {
    let payments = Payments::of(&crate::config::from_env(env))?;
    let customer = match repo::method_of(env, person_id).await? {
        Some(saved) if saved.provider == payments.name() => saved.customer_ref,
        _ => {
            let customer = payments.customer(person_id).await?;
            let now = platform::now();
            repo::save_customer(env, person_id, payments.name(), &customer, now).await?;
            customer
        }
    };
    payments.pledge_setup(pledge, &customer, site).await
}
