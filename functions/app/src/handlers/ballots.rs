//! Ballots on a proposal: cast, replaced, and checked by their receipts.

use crate::App;
use crate::handlers::proposals::{named, participant};
use crate::repo::cooperation as repo;
use crate::request::Req;
use crate::respond::{self, Outcome};
use axum::extract::State;
use domain::error::{ApiError, ErrorCode};
use domain::vote::casting::{self, SecretCast};
use domain::vote::phase::Phase;
use domain::vote::receipt::{RECEIPT_BYTES, receipt_hash, receipt_text};
use domain::vote::view::ProposalRow;
use domain::vote::wire::check_sent;
use serde::Deserialize;
use serde_json::{Value, json};

/// `POST /api/proposals/{id}/ballot`: the method's form (motion `{"value"}`, choice
/// `{"option"}`, majority judgment `{"grades": {option: 0..5}}`, budget `{"feature_ids"}`),
/// plus `"receipt"` to replace one's secret ballot. The first API's `/ballots {"ballot",
/// "receipt"?}` comes here too. One counted ballot per person: a second replaces the first when
/// changes are allowed, else 409. The answer carries a new receipt (shown once, only its hash
/// kept) with which the voter checks that the ballot is counted.
pub async fn cast(State(app): State<App>, mut req: Req) -> Outcome {
    let (row, person) = participant(&req, &app, &req.param("id"), Phase::Voting).await?;
    let mut body = req.json::<Value>().await?;
    let object = body
        .as_object_mut()
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidJson))?;
    let receipt = object
        .remove("receipt")
        .and_then(|r| r.as_str().map(str::to_string));
    let raw = object.remove("ballot").unwrap_or(body);
    let answer = cast_ballot(&app, &row, &person, &raw, receipt).await?;
    respond::json(&answer)
}

/// A receipt no one can guess, shown once to the voter.
fn fresh_receipt(app: &App) -> String {
    let mut bytes = [0u8; RECEIPT_BYTES];
    app.random.fill(&mut bytes);
    receipt_text(&bytes)
}

/// Casts (or replaces) a ballot: `{"receipt", "counted", "replaced"?}`.
pub async fn cast_ballot(
    app: &App,
    row: &ProposalRow,
    person: &str,
    raw: &Value,
    receipt: Option<String>,
) -> Result<Value, ApiError> {
    let ballot = check_sent(&row.question(), &row.option_names(), raw)?.to_text();
    let changeable = row.changeable;
    let now = app.now();
    let new_receipt = fresh_receipt(app);
    let hash = receipt_hash(&row.id, &new_receipt);
    let answer = |replaced: bool| {
        let mut answer = json!({"receipt": new_receipt, "counted": true});
        if replaced {
            answer["replaced"] = true.into();
        }
        answer
    };
    if !row.secret {
        let open = repo::OpenBallot {
            proposal: &row.id,
            person,
            content: &ballot,
            receipt_hash: &hash,
            now,
        };
        if repo::cast_open(app, &open).await? {
            return Ok(answer(false));
        }
        casting::replace_open(changeable)?;
        repo::replace_open(app, &open).await?;
        return Ok(answer(true));
    }
    if let SecretCast::Replace(receipt) = casting::secret(changeable, receipt.as_deref())? {
        let hash = receipt_hash(&row.id, &receipt);
        if !repo::replace_secret(app, &row.id, &hash, &ballot).await? {
            return Err(ApiError::on_field(ErrorCode::NotFound, "receipt"));
        }
        return Ok(json!({"receipt": receipt, "counted": true, "replaced": true}));
    }
    if !repo::cast_secret(app, &row.id, person, &hash, &ballot).await? {
        return Err(ApiError::on_field(ErrorCode::Conflict, "ballot"));
    }
    Ok(answer(false))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptInput {
    receipt: String,
}

/// `GET /api/proposals/{id}/receipt/{receipt}`: whether the ballot it names is counted.
pub async fn receipt(State(app): State<App>, req: Req) -> Outcome {
    let row = named(&app, &req.param("id")).await?;
    respond::json(&receipt_status(&app, &row, &req.param("receipt")).await?)
}

/// `POST /api/proposals/{id}/receipt {"receipt"}`: the same, keeping the receipt out of the
/// address (and so out of logs and history).
pub async fn check_receipt(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let row = named(&app, &req.param("id")).await?;
    let receipt = req.json::<ReceiptInput>().await?.receipt;
    respond::json(&receipt_status(&app, &row, &receipt).await?)
}

/// `{"counted"}` for a receipt: whether its ballot is counted, never what it holds (a receipt
/// shown to someone else must not prove a vote).
pub async fn receipt_status(
    app: &App,
    row: &ProposalRow,
    receipt: &str,
) -> Result<Value, ApiError> {
    let hash = receipt_hash(&row.id, receipt.trim());
    Ok(json!({"counted": repo::counted(app, &row.id, &hash).await?}))
}
