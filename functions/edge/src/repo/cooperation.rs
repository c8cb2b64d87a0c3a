//! Proposals, amendments and ballots on D1. A second ballot by the same person fails on a key;
//! that failure is how "already voted" is known, whatever the concurrency.

use super::features::{batch, run};
use super::{all, first, int, opt_text, text};
use domain::error::ApiError;
use domain::vote::proposal::ProposalRequest;
use domain::vote::view::ProposalRow;
use serde::{Deserialize, Serialize};
use store::cooperation as sql;
use wasm_bindgen::JsValue;
use worker::Env;

pub async fn insert(
    env: &Env,
    id: &str,
    p: &ProposalRequest,
    author: Option<&str>,
    about_post: Option<&str>,
    now: i64,
) -> Result<(), ApiError> {
    let args = vec![
        text(id),
        text(&p.community),
        text(&p.title),
        text(&p.body),
        text(&json_text(&p.tags)),
        text(p.question.method().stored()),
        text(&json_text(&p.options)),
        p.budget_cents.map_or(JsValue::NULL, int),
        int(i64::from(p.rules.majority_percent)),
        int(i64::from(p.rules.quorum_percent)),
        text(p.eligibility.as_str()),
        int(i64::from(p.secret)),
        int(i64::from(p.changeable)),
        p.schedule.amend_until.map_or(JsValue::NULL, int),
        int(p.schedule.vote_until),
        opt_text(author),
        opt_text(about_post),
        int(now),
        int(p.schedule.vote_from),
    ];
    let version = vec![text(id), JsValue::NULL, int(now)];
    batch(
        env,
        &[(sql::INSERT_PROPOSAL, args), (sql::INSERT_VERSION, version)],
        "proposal",
    )
    .await
}

/// A stored list's JSON text.
fn json_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// Development only: moves a proposal's times (see `ProposalSchedule::advanced`).
pub async fn set_schedule(
    env: &Env,
    id: &str,
    schedule: domain::vote::phase::ProposalSchedule,
) -> Result<(), ApiError> {
    let args = [
        text(id),
        schedule.amend_until.map_or(JsValue::NULL, int),
        int(schedule.vote_from),
        int(schedule.vote_until),
    ];
    run(env, sql::SET_SCHEDULE, &args, "schedule").await?;
    Ok(())
}

pub async fn proposal(env: &Env, id: &str) -> Result<Option<ProposalRow>, ApiError> {
    first(env, sql::PROPOSAL_BY_ID, &[text(id)], "proposal").await
}

pub async fn proposals_of(env: &Env, community: &str) -> Result<Vec<ProposalRow>, ApiError> {
    all(env, sql::PROPOSALS_OF, &[text(community)], "proposals").await
}

/// The open proposals of a person's communities (the instance, the elements they belong to).
pub async fn open_for(env: &Env, person: &str, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    all(
        env,
        sql::OPEN_FOR_PERSON,
        &[text(person), int(now)],
        "open proposals",
    )
    .await
}

pub async fn due_to_close(env: &Env, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    all(env, sql::DUE_TO_CLOSE, &[int(now), int(50)], "due").await
}

#[derive(Deserialize, Serialize)]
pub struct Version {
    pub version: i64,
    pub body: String,
    pub amendment_id: Option<String>,
    pub at: i64,
}

pub async fn versions(env: &Env, id: &str) -> Result<Vec<Version>, ApiError> {
    all(env, sql::VERSIONS, &[text(id)], "versions").await
}

#[derive(Deserialize, Serialize, Clone)]
pub struct AmendmentRow {
    pub id: String,
    pub proposal_id: String,
    pub body: String,
    pub reason: String,
    pub status: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub in_favour: i64,
    pub against: i64,
    pub blank: i64,
}

pub async fn amendments(env: &Env, id: &str) -> Result<Vec<AmendmentRow>, ApiError> {
    all(env, sql::AMENDMENTS_OF, &[text(id)], "amendments").await
}

pub async fn insert_amendment(
    env: &Env,
    id: &str,
    proposal: &str,
    author: &str,
    body: &str,
    reason: &str,
    now: i64,
) -> Result<(), ApiError> {
    let args = [
        text(id),
        text(proposal),
        text(author),
        text(body),
        text(reason),
        int(now),
    ];
    run(env, sql::INSERT_AMENDMENT, &args, "amendment").await?;
    Ok(())
}

#[derive(Deserialize)]
struct Owner {
    proposal_id: String,
}

/// The proposal an amendment belongs to.
pub async fn amendment_proposal(env: &Env, amendment: &str) -> Result<Option<String>, ApiError> {
    let row: Option<Owner> = first(
        env,
        sql::AMENDMENT_PROPOSAL,
        &[text(amendment)],
        "amendment",
    )
    .await?;
    Ok(row.map(|r| r.proposal_id))
}

/// False when this person already voted on it.
pub async fn vote_amendment(
    env: &Env,
    amendment: &str,
    person: &str,
    choice: &str,
) -> Result<bool, ApiError> {
    let db = super::db(env)?;
    let args = [text(amendment), text(person), text(choice)];
    Ok(super::statement(&db, sql::VOTE_AMENDMENT, &args)?
        .run()
        .await
        .is_ok())
}

/// Decides an amendment; an adopted one becomes the text and a new version, in one batch.
pub async fn decide_amendment(
    env: &Env,
    proposal: &str,
    amendment: &str,
    adopted: bool,
    now: i64,
) -> Result<(), ApiError> {
    let status = if adopted { "adopted" } else { "refused" };
    let mut steps = vec![(
        sql::DECIDE_AMENDMENT,
        vec![text(amendment), text(status), int(now)],
    )];
    if adopted {
        steps.push((sql::FOLD_AMENDMENT, vec![text(proposal), text(amendment)]));
        steps.push((
            sql::INSERT_VERSION,
            vec![text(proposal), text(amendment), int(now)],
        ));
    }
    batch(env, &steps, "decide amendment").await
}

/// An open ballot, as cast or replaced.
pub struct OpenBallot<'a> {
    pub proposal: &'a str,
    pub person: &'a str,
    pub content: &'a str,
    pub receipt_hash: &'a str,
    pub now: i64,
}

impl OpenBallot<'_> {
    fn args(&self) -> [JsValue; 5] {
        [
            text(self.proposal),
            text(self.person),
            text(self.content),
            int(self.now),
            text(self.receipt_hash),
        ]
    }
}

/// False when this person already has a ballot here.
pub async fn cast_open(env: &Env, ballot: &OpenBallot<'_>) -> Result<bool, ApiError> {
    let db = super::db(env)?;
    Ok(super::statement(&db, sql::CAST_BALLOT, &ballot.args())?
        .run()
        .await
        .is_ok())
}

pub async fn replace_open(env: &Env, ballot: &OpenBallot<'_>) -> Result<(), ApiError> {
    run(env, sql::REPLACE_BALLOT, &ballot.args(), "replace ballot").await?;
    Ok(())
}

/// Who took part and what was chosen, in one batch that fails whole on a second time.
pub async fn cast_secret(
    env: &Env,
    proposal: &str,
    person: &str,
    receipt_hash: &str,
    content: &str,
) -> Result<bool, ApiError> {
    let db = super::db(env)?;
    let steps = [
        super::statement(
            &db,
            sql::CAST_PARTICIPATION,
            &[text(proposal), text(person)],
        )?,
        super::statement(
            &db,
            sql::CAST_SECRET,
            &[text(receipt_hash), text(proposal), text(content)],
        )?,
    ];
    Ok(db.batch(steps.to_vec()).await.is_ok())
}

/// True when the receipt named a ballot of this proposal.
pub async fn replace_secret(
    env: &Env,
    proposal: &str,
    receipt_hash: &str,
    content: &str,
) -> Result<bool, ApiError> {
    let args = [text(receipt_hash), text(proposal), text(content)];
    Ok(run(env, sql::REPLACE_SECRET, &args, "replace secret").await? == 1)
}

#[derive(Deserialize)]
struct Content {
    content: String,
}

/// Whether the ballot under this receipt is counted (open or secret).
pub async fn counted(env: &Env, proposal: &str, receipt_hash: &str) -> Result<bool, ApiError> {
    let row: Option<Count> = first(
        env,
        sql::COUNTED_BY_RECEIPT,
        &[text(receipt_hash), text(proposal)],
        "receipt",
    )
    .await?;
    Ok(row.is_some_and(|r| r.n != 0))
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

pub async fn took_part(env: &Env, proposal: &str, person: &str) -> Result<bool, ApiError> {
    let row: Option<Count> = first(
        env,
        sql::TOOK_PART,
        &[text(proposal), text(person)],
        "took part",
    )
    .await?;
    Ok(row.is_some_and(|c| c.n != 0))
}

pub async fn contents(env: &Env, proposal: &str) -> Result<Vec<String>, ApiError> {
    let rows: Vec<Content> = all(env, sql::CONTENTS, &[text(proposal)], "ballots").await?;
    Ok(rows.into_iter().map(|r| r.content).collect())
}

pub async fn eligible(env: &Env, row: &ProposalRow, year_ago: i64) -> Result<u64, ApiError> {
    let admins = domain::account::instance_admins(&crate::config::from_env(env).admin_emails);
    let admins = serde_json::to_string(&admins).unwrap_or_else(|_| "[]".into());
    let args = [
        text(&row.community),
        text(&row.eligibility),
        int(year_ago),
        text(&admins),
    ];
    let count: Option<Count> = first(env, sql::ELIGIBLE, &args, "eligible").await?;
    Ok(count.map_or(0, |c| c.n.max(0) as u64))
}

/// Records the resolution; false when another run closed it first.
pub async fn close(env: &Env, id: &str, resolution: &str, now: i64) -> Result<bool, ApiError> {
    let args = [text(id), text(resolution), int(now)];
    Ok(run(env, sql::CLOSE, &args, "close").await? == 1)
}

#[derive(Deserialize)]
struct ActionStored {
    id: String,
    title: String,
    status: String,
    updated_at: i64,
    contributors: String,
}

/// An action as shown: how many carry it, not who (people choose what they make public).
#[derive(Serialize)]
pub struct ActionView {
    pub id: String,
    pub title: String,
    pub status: String,
    pub updated_at: String,
    pub contributors: usize,
}

pub async fn actions(env: &Env, proposal: &str) -> Result<Vec<ActionView>, ApiError> {
    let rows: Vec<ActionStored> = all(env, sql::ACTIONS_OF, &[text(proposal)], "actions").await?;
    Ok(rows
        .into_iter()
        .map(|a| ActionView {
            id: a.id,
            title: a.title,
            status: a.status,
            updated_at: domain::time::rfc3339(a.updated_at),
            contributors: serde_json::from_str::<Vec<String>>(&a.contributors)
                .map_or(0, |c| c.len()),
        })
        .collect())
}
