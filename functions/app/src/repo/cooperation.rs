//! Proposals, amendments and ballots: the store's statements (`store::cooperation::proposals`),
//! run. A second ballot by the same person fails on a key; that failure (a broken constraint)
//! is how "already voted" is known, whatever the concurrency.

use super::{Statement, batch, query, query_first, run};
use crate::App;
use domain::error::ApiError;
use domain::vote::proposal::ProposalRequest;
use domain::vote::view::ProposalRow;
pub use store::cooperation::{AmendmentRow, OpenBallot, Version};
use store::cooperation::{Count, proposals as sql};

pub async fn insert(
    app: &App,
    id: &str,
    p: &ProposalRequest,
    author: Option<&str>,
    about: store::cooperation::About<'_>,
    now: i64,
) -> Result<(), ApiError> {
    let steps = vec![
        sql::insert(id, p, author, about, now),
        sql::insert_version(id, None, now),
    ];
    batch(app, steps, "proposal").await?;
    Ok(())
}

/// Development only: moves a proposal's times (see `ProposalSchedule::advanced`).
#[cfg(feature = "dev")]
pub async fn set_schedule(
    app: &App,
    id: &str,
    schedule: domain::vote::phase::ProposalSchedule,
) -> Result<(), ApiError> {
    run(app, sql::set_schedule(id, schedule), "schedule").await
}

pub async fn proposal(app: &App, id: &str) -> Result<Option<ProposalRow>, ApiError> {
    query_first(app, sql::by_id(id), "proposal").await
}

pub async fn proposals_of(app: &App, community: &str) -> Result<Vec<ProposalRow>, ApiError> {
    query(app, sql::of_community(community), "proposals").await
}

/// The open proposals of a person's communities (the instance, the elements they belong to).
pub async fn open_for(app: &App, person: &str, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    query(app, sql::open_for(person, now), "open proposals").await
}

pub async fn due_to_close(app: &App, now: i64) -> Result<Vec<ProposalRow>, ApiError> {
    query(app, sql::due_to_close(now, 50), "due").await
}

pub async fn versions(app: &App, id: &str) -> Result<Vec<Version>, ApiError> {
    query(app, sql::versions(id), "versions").await
}

pub async fn amendments(app: &App, id: &str) -> Result<Vec<AmendmentRow>, ApiError> {
    query(app, sql::amendments(id), "amendments").await
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
    let inserted = sql::insert_amendment(id, proposal, author, body, reason, now);
    run(app, inserted, "amendment").await
}

/// The proposal an amendment belongs to.
pub async fn amendment_proposal(app: &App, amendment: &str) -> Result<Option<String>, ApiError> {
    let owner = query_first(app, sql::amendment_proposal(amendment), "amendment").await?;
    Ok(owner.map(|o| o.proposal_id))
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
    let vote = sql::vote_amendment(amendment, person, choice);
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
    let mut steps = vec![sql::decide_amendment(amendment, adopted, now)];
    if adopted {
        steps.push(sql::fold_amendment(proposal, amendment));
        steps.push(sql::insert_version(proposal, Some(amendment), now));
    }
    batch(app, steps, "decide amendment").await?;
    Ok(())
}

/// False when this person already has a ballot here.
pub async fn cast_open(app: &App, ballot: &OpenBallot<'_>) -> Result<bool, ApiError> {
    first_time(app, vec![sql::cast(ballot)], "ballot").await
}

pub async fn replace_open(app: &App, ballot: &OpenBallot<'_>) -> Result<(), ApiError> {
    run(app, sql::replace(ballot), "replace ballot").await
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
        sql::participate(proposal, person),
        sql::cast_secret(receipt_hash, proposal, content),
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
    let replaced = sql::replace_secret(receipt_hash, proposal, content);
    Ok(query(app, replaced, "replace secret").await?.len() == 1)
}

/// Whether the ballot under this receipt is counted (open or secret).
pub async fn counted(app: &App, proposal: &str, receipt_hash: &str) -> Result<bool, ApiError> {
    let found = query(app, sql::counted(proposal, receipt_hash), "receipt").await?;
    Ok(Count::any(&found))
}

pub async fn took_part(app: &App, proposal: &str, person: &str) -> Result<bool, ApiError> {
    let found = query(app, sql::took_part(proposal, person), "took part").await?;
    Ok(Count::any(&found))
}

pub async fn contents(app: &App, proposal: &str) -> Result<Vec<String>, ApiError> {
    let rows = query(app, sql::contents(proposal), "ballots").await?;
    Ok(rows.into_iter().map(|r| r.content).collect())
}

pub async fn eligible(app: &App, row: &ProposalRow, year_ago: i64) -> Result<u64, ApiError> {
    let admins = domain::account::instance_admins(&app.config.admin_emails);
    let found = query(app, sql::eligible(row, year_ago, &admins), "eligible").await?;
    Ok(found.first().map_or(0, |c| c.n.max(0) as u64))
}

/// Records the resolution; false when another run closed it first.
pub async fn close(app: &App, id: &str, resolution: &str, now: i64) -> Result<bool, ApiError> {
    Ok(query(app, sql::close(id, resolution, now), "close")
        .await?
        .len()
        == 1)
}
