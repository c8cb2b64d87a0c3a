//! Features to co-fund: proposals by donors and admins, the list and one feature, admins'
//! steering, and pledges (all or nothing: charged only once the goal is reached).

use crate::payments::Payments;
use crate::repo::features::{self as repo, NewPledge};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session, settle};
use axum::extract::State;
use domain::access::Action;
use domain::error::{ApiError, ErrorCode};
use domain::feature::{FeatureInput, FeatureRow, SteerInput};
use domain::funding::{FeatureStatus, PledgeStatus};
use domain::pledge::{PledgeInput, PledgeRow, idempotency_key};
use serde_json::{Value, json};

/// The feature named in the path, or 404.
pub async fn named(app: &App, req: &Req) -> Result<FeatureRow, ApiError> {
    repo::feature(app, &req.param("id"))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// A feature with the statuses it reached, for its page and the API.
pub async fn detail(app: &App, row: &FeatureRow) -> Result<Value, ApiError> {
    let mut view = serde_json::to_value(row.view(app.now()))
        .map_err(|_| ApiError::new(ErrorCode::Internal))?;
    let history: Vec<Value> = repo::history(app, &row.id)
        .await?
        .into_iter()
        .map(|r| json!({"status": r.status, "at": domain::time::rfc3339(r.at)}))
        .collect();
    view["history"] = Value::Array(history);
    Ok(view)
}

/// `POST /api/features`: donors and instance admins propose; funding opens at once.
pub async fn create(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let person = session::allowed(&req, &app, Action::ProposeFeature).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let now = app.now();
    let asked = req.json::<FeatureInput>().await?.check(now)?;
    let id = format!("f_{}", &app.token()[..16]);
    repo::insert_feature(&app, &id, &asked, &person.id, now).await?;
    let row = repo::feature(&app, &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Internal))?;
    respond::json_status(&detail(&app, &row).await?, 201)
}

/// `GET /api/features?status=`.
pub async fn list(State(app): State<App>, req: Req) -> Outcome {
    let status = match req.query("status").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            FeatureStatus::parse(&s)
                .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "status"))?,
        ),
    };
    let now = app.now();
    let items: Vec<_> = repo::features(&app, status, now)
        .await?
        .iter()
        .map(|f| f.view(now))
        .collect();
    respond::json(&json!({"items": items, "next_cursor": null}))
}

/// `GET /api/features/{id}`.
pub async fn show(State(app): State<App>, req: Req) -> Outcome {
    respond::json(&detail(&app, &named(&app, &req).await?).await?)
}

/// `PATCH /api/features/{id}` (instance admins): decline, start, deliver, or move the deadline
/// of a feature still funding. Declining lets its pledges go without charge.
pub async fn steer(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    session::allowed(&req, &app, Action::SteerFeature).await?;
    let row = named(&app, &req).await?;
    let now = app.now();
    let asked = req
        .json::<SteerInput>()
        .await?
        .check(row.status(now), now)?;
    if !repo::steer(&app, &row, asked.status, asked.deadline, now).await? {
        return Err(ApiError::on_field(ErrorCode::Conflict, "status").into());
    }
    if asked.status == FeatureStatus::Declined {
        settle::release_due(&app, now).await?;
    }
    if asked.status == FeatureStatus::Delivered {
        let told = crate::handlers::notifications::Told {
            kind: domain::notification::Kind::Delivered,
            text: format!("Livrée : « {} », que vous avez soutenue", row.title),
            url: format!("/financer/{}/", row.id),
            once: format!("delivered:{}", row.id),
        };
        let statement = store::notifications::to_backers(&row.id, &told.notice(now));
        crate::handlers::notifications::record(&app, statement).await;
    }
    let row = named(&app, &req).await?;
    respond::json(&detail(&app, &row).await?)
}

/// `POST /api/features/{id}/pledges` (+ `Idempotency-Key`): committed at once when the backer
/// has a saved card, else pending with the page where they save one.
pub async fn pledge(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let person = session::allowed(&req, &app, Action::Pledge).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let key = idempotency_key(req.header("Idempotency-Key").as_deref())?;
    let feature = named(&app, &req).await?;
    let amount = req.json::<PledgeInput>().await?.check(feature.goal_cents)?;
    let asked = Asked {
        feature: &feature,
        person_id: &person.id,
        amount_cents: amount,
        key: key.as_deref(),
        moved_from: None,
    };
    respond::json_status(&place(&app, &asked).await?, 201)
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
pub async fn place(app: &App, asked: &Asked<'_>) -> Result<Value, ApiError> {
    let now = app.now();
    let feature = asked.feature;
    let earlier = match asked.key {
        Some(key) => repo::pledge_by_key(app, asked.person_id, key).await?,
        None => None,
    };
    let pledge = match earlier {
        Some(p) if p.feature_id != feature.id || p.amount_cents != asked.amount_cents => {
            return Err(ApiError::on_field(ErrorCode::Conflict, "Idempotency-Key"));
        }
        Some(p) => p,
        None => placed(app, asked, now).await?,
    };
    let mut body = json!({"id": pledge.id, "status": pledge.status});
    if pledge.status == PledgeStatus::Pending {
        body["setup_url"] = setup_url(app, &pledge, asked.person_id).await?.into();
    }
    if let Some(now_row) = repo::feature(app, &feature.id).await? {
        body["feature"] = serde_json::to_value(now_row.view(now)).unwrap_or(Value::Null);
    }
    Ok(body)
}

/// A new pledge as it stands once placed: a committed one may reach the goal, and be charged.
async fn placed(app: &App, asked: &Asked<'_>, now: i64) -> Result<PledgeRow, ApiError> {
    let feature = asked.feature;
    if !feature.status(now).accepts_pledges() {
        return Err(ApiError::on_field(ErrorCode::Conflict, "status"));
    }
    let id = format!("p_{}", &app.token()[..20]);
    let new = NewPledge {
        id: &id,
        feature_id: &feature.id,
        person_id: asked.person_id,
        amount_cents: asked.amount_cents,
        currency: &feature.currency,
        key: asked.key,
        moved_from: asked.moved_from,
    };
    let found = match (repo::insert_pledge(app, &new, now).await?, asked.key) {
        (Some(pledge), _) => Some(pledge),
        // The same key won a race a moment ago: its pledge stands.
        (None, Some(key)) => repo::pledge_by_key(app, asked.person_id, key).await?,
        (None, None) => None,
    };
    let pledge = found.ok_or_else(|| ApiError::on_field(ErrorCode::Conflict, "status"))?;
    if pledge.status != PledgeStatus::Committed {
        return Ok(pledge);
    }
    settle::after_commit(app, &feature.id).await?;
    // The goal reached, it may be charged already: the backer is told as it is now.
    Ok(repo::pledge(app, &pledge.id).await?.unwrap_or(pledge))
}

/// Where the backer saves a card: the provider's setup page, with a customer made once.
async fn setup_url(app: &App, pledge: &PledgeRow, person_id: &str) -> Result<String, ApiError> {
    let payments = Payments::of(app)?;
    let customer = match repo::method_of(app, person_id).await? {
        Some(saved) if saved.provider == payments.name() => saved.customer_ref,
        _ => {
            let customer = payments.customer(person_id).await?;
            let now = app.now();
            repo::save_customer(app, person_id, payments.name(), &customer, now).await?;
            customer
        }
    };
    payments
        .pledge_setup(pledge, &customer, &app.config.site_url)
        .await
}
