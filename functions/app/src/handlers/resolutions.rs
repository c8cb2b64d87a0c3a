//! What follows a vote: an adopted resolution is carried out (a moderation motion hides its
//! post; the instance's budget vote starts its winning features, with the money allocated in
//! the ledger) and carries actions with contributors.

use crate::repo::features;
use crate::repo::ledger::{Movement, commit_retrying};
use crate::repo::resolutions as repo;
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::access::{self, Action, Relation, Target};
use domain::donation::Payment;
use domain::error::{ApiError, ErrorCode};
use domain::funding::FeatureStatus;
use domain::ledger::EntryKind;
use domain::vote::detail::ActionStatus;
use domain::vote::method::Method;
use domain::vote::resolution::{Outcome as VoteOutcome, Resolution};
use domain::vote::view::ProposalRow;
use serde::Deserialize;
use serde_json::json;

/// Carries out a resolution just recorded (once: the caller closed it).
pub async fn carry_out(
    app: &App,
    row: &ProposalRow,
    resolution: &Resolution,
    now: i64,
) -> Result<(), ApiError> {
    if resolution.outcome != VoteOutcome::Adopted {
        return Ok(());
    }
    if let Some(post) = &row.about_post {
        repo::hide_post(app, post, now).await?;
    }
    if let Some(comment) = &row.about_comment {
        let hide = store::comments::hide(comment, now);
        crate::repo::run(app, hide, "hide comment").await?;
    }
    let budget = row.method == Method::Budget;
    if budget && row.community == "instance" {
        let options = row.options();
        for winner in &resolution.winners {
            let Some(option) = options.get(*winner) else {
                continue;
            };
            let Some(feature) = option.feature_id.as_deref() else {
                continue;
            };
            start_feature(app, &row.id, feature, option.cost_cents.unwrap_or(0), now).await?;
        }
    }
    Ok(())
}

/// A winning feature, funded and waiting, starts; the general fund's allocation is entered.
async fn start_feature(
    app: &App,
    proposal: &str,
    feature: &str,
    cost_cents: i64,
    now: i64,
) -> Result<(), ApiError> {
    let Some(row) = features::feature(app, feature).await? else {
        return Ok(());
    };
    if row.status != FeatureStatus::Funded
        || !features::steer(app, &row, FeatureStatus::InProgress, None, now).await?
    {
        return Ok(());
    }
    let movement = Movement {
        kind: EntryKind::Allocation,
        reference: row.reference(),
        payment: Payment {
            amount_cents: cost_cents,
            currency: row.currency.clone(),
            source: format!("allocation:{proposal}:{feature}"),
        },
    };
    commit_retrying(app, &[], &[movement], now).await
}

/// The community's admins (the instance's, or the element's) and the proposal's author steer
/// its actions.
async fn may_steer(req: &Req, app: &App, row: &ProposalRow) -> Result<String, ApiError> {
    let (actor, person) = session::actor(req, app).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let mut links = match row.community.as_str() {
        "instance" => Relation::default(),
        element => crate::repo::elements::relation(app, element, &person.id)
            .await?
            .links(),
    };
    links.author = row.author_id.as_deref() == Some(person.id.as_str());
    access::decide(actor, Action::SteerResolution, links, Target::default())?;
    Ok(person.id)
}

/// The proposal an action hangs on, or 404.
async fn proposal(app: &App, id: &str) -> Result<ProposalRow, ApiError> {
    crate::repo::cooperation::proposal(app, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionInput {
    title: String,
}

/// `POST /api/proposals/{id}/actions {"title"}`: what an adopted resolution commits to.
pub async fn add_action(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let row = proposal(&app, &req.param("id")).await?;
    may_steer(&req, &app, &row).await?;
    let adopted = row
        .resolved()
        .is_some_and(|r| r.outcome == VoteOutcome::Adopted);
    if !adopted {
        return Err(ApiError::on_field(ErrorCode::Conflict, "resolution").into());
    }
    let title = req.json::<ActionInput>().await?.title;
    let title = title.trim();
    if !(3..=200).contains(&title.chars().count()) {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "title").into());
    }
    let action = format!("ac_{}", &app.token()[..16]);
    repo::insert_action(&app, &action, &row.id, title, app.now()).await?;
    respond::json_status(
        &json!({"id": action, "title": title, "status": ActionStatus::Todo}),
        201,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionPatch {
    status: Option<String>,
    /// Join the action as a contributor.
    contribute: Option<bool>,
}

/// `PATCH /api/actions/{id} {"status"?, "contribute"?}`: its admins move it along (todo,
/// in_progress, done); anyone signed in may join it as a contributor.
pub async fn update_action(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let action = repo::action(&app, &req.param("id"))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let patch = req.json::<ActionPatch>().await?;
    if let Some(status) = patch.status.as_deref() {
        let status = ActionStatus::parse(status)
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "status"))?;
        let row = proposal(&app, &action.proposal_id).await?;
        may_steer(&req, &app, &row).await?;
        repo::set_action_status(&app, &action.id, status, app.now()).await?;
    }
    if patch.contribute == Some(true) {
        let (_, person) = session::actor(&req, &app).await?;
        let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
        repo::add_contributor(&app, &action.id, &person.id).await?;
    }
    respond::json(&repo::actions(&app, &action.proposal_id).await?)
}
