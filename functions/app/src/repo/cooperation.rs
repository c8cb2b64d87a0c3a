//! Proposals, amendments and ballots. A second ballot by the same person fails on a key; that
//! failure (a broken constraint) is how "already voted" is known, whatever the concurrency.

use super::{Arg, Statement, all, batch, first, int, opt_text, run, statement, text};
use crate::App;
use domain::error::ApiError;
use domain::vote::proposal::ProposalRequest;
use domain::vote::view::ProposalRow;
use serde::{Deserialize, Serialize};
use store::cooperation as sql;

pub async fn insert(
    app: &App,
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
        p.budget_cents.map_or(Arg::Null, int),
        int(i64::from(p.rules.majority_percent)),
        int(i64::from(p.rules.quorum_percent)),
        text(p.eligibility.as_str()),
        int(i64::from(p.secret)),
        int(i64::from(p.changeable)),
        p.schedule.amend_until.map_or(Arg::Null, int),
        int(p.schedule.vote_until),
        opt_text(author),
        opt_text(about_post),
        int(now),
        int(p.schedule.vote_from),
    ];
    let version = vec![text(id), Arg::Null, int(now)];
    let steps = vec![
        statement(sql::INSERT_PROPOSAL, args),
        statement(sql::INSERT_VERSION, version),
    ];
    batch(app, steps, "proposal").await?;
    Ok(())
}

/// A stored list's JSON text.
fn json_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// Development only: moves a proposal's times (see `ProposalSchedule::advanced`).
#[cfg(feature = "dev")]
pub async fn set_schedule(
    app: &App,
    id: &str,
    schedule: domain::vote::phase::ProposalSchedule,
) -> Result<(), ApiError> {
    let args = vec![
        text(id),
        schedule.amend_until.map_or(Arg::Null, int),
        int(schedule.vote_from),
        int(schedule.vote_until),
    ];
    run(app, statement(sql::SET_SCHEDULE, args), "schedule").await
}

pub async fn proposal(app: &App, id: &str) -> Result<Option<ProposalRow>, ApiError> {
    let found = statement(sql::PROPOSAL_BY_ID, vec![text(id)]);
    first(app, found, "proposal").await
}

pub async fn proposals_of(app: &App, community: &str) -> Result<Vec<ProposalRow>, ApiError> {
    let found = statement(sql::PROPOSALS_OF, vec![text(community)]);
    all(app, found, "proposals").await
}

/// The open proposals of a person's communities (the instance, the elements they belong to).
pub async fn open_for(app: &App, person: &str, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    let found = statement(sql::OPEN_FOR_PERSON, vec![text(person), int(now)]);
    all(app, found, "open proposals").await
}

pub async fn due_to_close(app: &App, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    let found = statement(sql::DUE_TO_CLOSE, vec![int(now), int(50)]);
    all(app, found, "due").await
}

#[derive(Deserialize, Serialize)]
pub struct Version {
    pub version: i64,
    pub body: String,
    pub amendment_id: Option<String>,
    pub at: i64,
}

pub async fn versions(app: &App, id: &str) -> Result<Vec<Version>, ApiError> {
    all(app, statement(sql::VERSIONS, vec![text(id)]), "versions").await
}

#[derive(Deserialize, Serialize, Clone)]
pub struct AmendmentRow {
    pub id: String,
    pub proposal_id: String,
    pub body: String,
    pub reason: String,
    pub status: domain::vote::detail::AmendmentStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub in_favour: i64,
    pub against: i64,
    pub blank: i64,
}

pub async fn amendments(app: &App, id: &str) -> Result<Vec<AmendmentRow>, ApiError> {
    let found = statement(sql::AMENDMENTS_OF, vec![text(id)]);
    all(app, found, "amendments").await
}

pub async fn insert_amendment(
    app: &App,
    id: &str,
    proposal: &str,
    author: &str,
    body: &str,
    reason: &str,
    now: i64,
) -> Result<(), ApiError> {
    let args = vec![
        text(id),
        text(proposal),
        text(author),
        text(body),
        text(reason),
        int(now),
    ];
    run(app, statement(sql::INSERT_AMENDMENT, args), "amendment").await
}

/// The proposal an amendment belongs to.
pub async fn amendment_proposal(app: &App, amendment: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Owner {
        proposal_id: String,
    }
    let found = statement(sql::AMENDMENT_PROPOSAL, vec![text(amendment)]);
    let row: Option<Owner> = first(app, found, "amendment").await?;
    Ok(row.map(|r| r.proposal_id))
}

/// Runs `steps` as one batch: false when a constraint refused it (the person already did it),
/// any other failure an error.
async fn first_time(app: &App, steps: Vec<Statement>, what: &str) -> Result<bool, ApiError> {
    match app.db.batch(steps).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_conflict() => Ok(false),
        Err(e) => Err(super::database_error(what, e)),
    }
}

/// False when this person already voted on it.
pub async fn vote_amendment(
    app: &App,
    amendment: &str,
    person: &str,
    choice: &str,
) -> Result<bool, ApiError> {
    let args = vec![text(amendment), text(person), text(choice)];
    let vote = statement(sql::VOTE_AMENDMENT, args);
    first_time(app, vec![vote], "amendment vote").await
}

/// Decides an amendment; an adopted one becomes the text and a new version, in one batch.
pub async fn decide_amendment(
    app: &App,
    proposal: &str,
    amendment: &str,
    adopted: bool,
    now: i64,
) -> Result<(), ApiError> {
    let status = if adopted { "adopted" } else { "refused" };
    let mut steps = vec![statement(
        sql::DECIDE_AMENDMENT,
        vec![text(amendment), text(status), int(now)],
    )];
    if adopted {
        steps.push(statement(
            sql::FOLD_AMENDMENT,
            vec![text(proposal), text(amendment)],
        ));
        steps.push(statement(
            sql::INSERT_VERSION,
            vec![text(proposal), text(amendment), int(now)],
        ));
    }
    batch(app, steps, "decide amendment").await?;
    Ok(())
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
    fn args(&self) -> Vec<Arg> {
        vec![
            text(self.proposal),
            text(self.person),
            text(self.content),
            int(self.now),
            text(self.receipt_hash),
        ]
    }
}

/// False when this person already has a ballot here.
pub async fn cast_open(app: &App, ballot: &OpenBallot<'_>) -> Result<bool, ApiError> {
    let cast = statement(sql::CAST_BALLOT, ballot.args());
    first_time(app, vec![cast], "ballot").await
}

pub async fn replace_open(app: &App, ballot: &OpenBallot<'_>) -> Result<(), ApiError> {
    let replaced = statement(sql::REPLACE_BALLOT, ballot.args());
    run(app, replaced, "replace ballot").await
}

/// Who took part and what was chosen, in one batch that fails whole on a second time.
pub async fn cast_secret(
    app: &App,
    proposal: &str,
    person: &str,
    receipt_hash: &str,
    content: &str,
) -> Result<bool, ApiError> {
    let steps = vec![
        statement(sql::CAST_PARTICIPATION, vec![text(proposal), text(person)]),
        statement(
            sql::CAST_SECRET,
            vec![text(receipt_hash), text(proposal), text(content)],
        ),
    ];
    first_time(app, steps, "secret ballot").await
}

/// True when the receipt named a ballot of this proposal.
pub async fn replace_secret(
    app: &App,
    proposal: &str,
    receipt_hash: &str,
    content: &str,
) -> Result<bool, ApiError> {
    let args = vec![text(receipt_hash), text(proposal), text(content)];
    let replaced: Vec<serde_json::Value> =
        all(app, statement(sql::REPLACE_SECRET, args), "replace secret").await?;
    Ok(replaced.len() == 1)
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

/// Whether the ballot under this receipt is counted (open or secret).
pub async fn counted(app: &App, proposal: &str, receipt_hash: &str) -> Result<bool, ApiError> {
    let found = statement(
        sql::COUNTED_BY_RECEIPT,
        vec![text(receipt_hash), text(proposal)],
    );
    let row: Option<Count> = first(app, found, "receipt").await?;
    Ok(row.is_some_and(|r| r.n != 0))
}

pub async fn took_part(app: &App, proposal: &str, person: &str) -> Result<bool, ApiError> {
    let found = statement(sql::TOOK_PART, vec![text(proposal), text(person)]);
    let row: Option<Count> = first(app, found, "took part").await?;
    Ok(row.is_some_and(|c| c.n != 0))
}

pub async fn contents(app: &App, proposal: &str) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Content {
        content: String,
    }
    let found = statement(sql::CONTENTS, vec![text(proposal)]);
    let rows: Vec<Content> = all(app, found, "ballots").await?;
    Ok(rows.into_iter().map(|r| r.content).collect())
}

pub async fn eligible(app: &App, row: &ProposalRow, year_ago: i64) -> Result<u64, ApiError> {
    let admins = domain::account::instance_admins(&app.config.admin_emails);
    let admins = serde_json::to_string(&admins).unwrap_or_else(|_| "[]".into());
    let args = vec![
        text(&row.community),
        text(&row.eligibility),
        int(year_ago),
        text(&admins),
    ];
    let count: Option<Count> = first(app, statement(sql::ELIGIBLE, args), "eligible").await?;
    Ok(count.map_or(0, |c| c.n.max(0) as u64))
}

/// Records the resolution; false when another run closed it first.
pub async fn close(app: &App, id: &str, resolution: &str, now: i64) -> Result<bool, ApiError> {
    let args = vec![text(id), text(resolution), int(now)];
    let closed: Vec<serde_json::Value> = all(app, statement(sql::CLOSE, args), "close").await?;
    Ok(closed.len() == 1)
}
