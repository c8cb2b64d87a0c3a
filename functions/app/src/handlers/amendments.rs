//! Amendments to a proposal's text, and the votes on them, while amendments are taken.

use crate::App;
use crate::handlers::proposals::participant;
use crate::repo::cooperation as repo;
use crate::request::Req;
use crate::respond::{self, Outcome};
use axum::extract::State;
use domain::error::{ApiError, ErrorCode};
use domain::vote::ballot::MotionChoice;
use domain::vote::detail::AmendmentStatus;
use domain::vote::phase::Phase;
use domain::vote::view::ProposalRow;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendmentInput {
    #[serde(alias = "body")]
    text: String,
    #[serde(default)]
    reason: String,
}

/// `POST /api/proposals/{id}/amendments {"text","reason"?}`: a new text for the proposal,
/// while amendments are taken, by someone who may vote.
pub async fn amend(State(app): State<App>, mut req: Req) -> Outcome {
    let (row, person) = participant(&req, &app, &req.param("id"), Phase::Amendable).await?;
    let input = req.json::<AmendmentInput>().await?;
    let amendment = add_amendment(&app, &row, &person, &input.text, &input.reason).await?;
    respond::json_status(&json!({"id": amendment, "status": "open"}), 201)
}

/// A new amendment's id, or 400 on an empty or unchanged text.
pub async fn add_amendment(
    app: &App,
    row: &ProposalRow,
    person: &str,
    body: &str,
    reason: &str,
) -> Result<String, ApiError> {
    let asked = domain::vote::amendment::amendment(&row.body, body, reason)?;
    let amendment = format!("am_{}", &app.token()[..16]);
    let now = app.now();
    let (text, reason) = (&asked.text, &asked.reason);
    repo::insert_amendment(app, &amendment, &row.id, person, text, reason, now).await?;
    Ok(amendment)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendmentVote {
    #[serde(alias = "choice")]
    value: MotionChoice,
}

/// `POST /api/amendments/{amendment}/vote {"value"}` (and the first API's
/// `/api/proposals/{id}/amendments/{amendment}/votes {"choice"}`): for, against or blank, once
/// per person, while amendments are taken.
pub async fn vote_amendment(State(app): State<App>, mut req: Req) -> Outcome {
    let amendment = req.param("amendment");
    let id = match req.param("id") {
        id if !id.is_empty() => id,
        _ => repo::amendment_proposal(&app, &amendment)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?,
    };
    let (row, person) = participant(&req, &app, &id, Phase::Amendable).await?;
    let value = req
        .json::<AmendmentVote>()
        .await
        .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "value"))?
        .value;
    vote_on_amendment(&app, &row, &person, &amendment, value).await?;
    respond::json(&json!({"counted": true}))
}

/// One vote per person on an open amendment of this proposal (404 for another's, 409 twice).
pub async fn vote_on_amendment(
    app: &App,
    row: &ProposalRow,
    person: &str,
    amendment: &str,
    choice: MotionChoice,
) -> Result<(), ApiError> {
    let known = repo::amendments(app, &row.id)
        .await?
        .iter()
        .any(|a| a.id == amendment && a.status == AmendmentStatus::Open);
    if !known {
        return Err(ApiError::new(ErrorCode::NotFound));
    }
    let text = serde_json::to_value(choice)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if !repo::vote_amendment(app, amendment, person, &text).await? {
        return Err(ApiError::on_field(ErrorCode::Conflict, "value"));
    }
    Ok(())
}
