//! Features, pledges and saved cards.

use super::{Arg, Statement, all, batch, first, int, opt_text, run, statement, text};
use crate::App;
use crate::payments::SavedMethod;
use domain::error::ApiError;
use domain::feature::{FeatureRequest, FeatureRow};
use domain::funding::FeatureStatus;
use domain::pledge::PledgeRow;
use store::features as sql;

#[derive(serde::Deserialize)]
struct Id {
    id: String,
}

pub async fn insert_feature(
    app: &App,
    id: &str,
    asked: &FeatureRequest,
    person: &str,
    now: i64,
) -> Result<(), ApiError> {
    let args = vec![
        text(id),
        text(&asked.title),
        text(&asked.description),
        int(asked.goal_cents),
        text(&asked.currency),
        int(asked.deadline),
        text(person),
        int(now),
    ];
    let steps = vec![
        statement(sql::INSERT_FEATURE, args),
        statement(sql::INSERT_HISTORY, vec![text(id), int(now)]),
    ];
    batch(app, steps, "feature").await.map(|_| ())
}

pub async fn feature(app: &App, id: &str) -> Result<Option<FeatureRow>, ApiError> {
    first(
        app,
        statement(sql::FEATURE_BY_ID, vec![text(id)]),
        "feature",
    )
    .await
}

pub async fn features(
    app: &App,
    status: Option<&str>,
    now: i64,
) -> Result<Vec<FeatureRow>, ApiError> {
    let found = statement(sql::FEATURES, vec![opt_text(status), int(now)]);
    all(app, found, "features").await
}

#[derive(serde::Deserialize, serde::Serialize)]
pub struct Reached {
    pub status: String,
    pub at: i64,
}

pub async fn history(app: &App, id: &str) -> Result<Vec<Reached>, ApiError> {
    all(app, statement(sql::HISTORY, vec![text(id)]), "history").await
}

/// A change of a feature's status with its history, in one batch.
async fn transition(
    app: &App,
    change: &'static str,
    id: &str,
    now: i64,
    what: &str,
) -> Result<(), ApiError> {
    let args = || vec![text(id), int(now)];
    let steps = vec![
        statement(change, args()),
        statement(sql::INSERT_HISTORY, args()),
    ];
    batch(app, steps, what).await.map(|_| ())
}

/// Funding → funded if the goal is reached (once, whoever asks).
pub async fn reach_goal(app: &App, id: &str, now: i64) -> Result<(), ApiError> {
    transition(app, sql::REACH_GOAL, id, now, "reach goal").await
}

/// Funding → expired, when the deadline passed.
pub async fn expire(app: &App, id: &str, now: i64) -> Result<(), ApiError> {
    transition(app, sql::EXPIRE, id, now, "expire").await
}

async fn ids(
    app: &App,
    sql: &'static str,
    args: Vec<Arg>,
    what: &str,
) -> Result<Vec<String>, ApiError> {
    let rows: Vec<Id> = all(app, statement(sql, args), what).await?;
    Ok(rows.into_iter().map(|i| i.id).collect())
}

pub async fn due_to_expire(app: &App, now: i64, limit: i64) -> Result<Vec<String>, ApiError> {
    ids(app, sql::DUE_TO_EXPIRE, vec![int(now), int(limit)], "due").await
}

/// An admin's move; false when the feature changed meanwhile.
pub async fn steer(
    app: &App,
    row: &FeatureRow,
    status: FeatureStatus,
    deadline: Option<i64>,
    now: i64,
) -> Result<bool, ApiError> {
    let args = vec![
        text(&row.id),
        text(status.as_str()),
        deadline.map_or(Arg::Null, int),
        int(now),
        text(row.status.as_str()),
    ];
    let changed: Option<Id> = first(app, statement(sql::STEER, args), "steer").await?;
    if changed.is_some() {
        let history = statement(sql::INSERT_HISTORY, vec![text(&row.id), int(now)]);
        run(app, history, "history").await?;
    }
    Ok(changed.is_some())
}

/// A new pledge.
pub struct NewPledge<'a> {
    pub id: &'a str,
    pub feature_id: &'a str,
    pub person_id: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
    pub key: Option<&'a str>,
    pub moved_from: Option<&'a str>,
}

/// The pledge inserted; none when nothing was (the key was used, or funding ended).
pub async fn insert_pledge(
    app: &App,
    p: &NewPledge<'_>,
    now: i64,
) -> Result<Option<PledgeRow>, ApiError> {
    let args = vec![
        text(p.id),
        text(p.feature_id),
        text(p.person_id),
        int(p.amount_cents),
        text(p.currency),
        opt_text(p.key),
        opt_text(p.moved_from),
        int(now),
    ];
    run(app, statement(sql::INSERT_PLEDGE, args), "pledge").await?;
    // The id is new: found, it was inserted just now.
    pledge(app, p.id).await
}

pub async fn pledge(app: &App, id: &str) -> Result<Option<PledgeRow>, ApiError> {
    first(app, statement(sql::PLEDGE_BY_ID, vec![text(id)]), "pledge").await
}

pub async fn pledge_by_key(
    app: &App,
    person: &str,
    key: &str,
) -> Result<Option<PledgeRow>, ApiError> {
    let found = statement(sql::PLEDGE_BY_KEY, vec![text(person), text(key)]);
    first(app, found, "pledge").await
}

pub async fn pledges_of(app: &App, person: &str) -> Result<Vec<PledgeRow>, ApiError> {
    let found = statement(sql::PLEDGES_OF_PERSON, vec![text(person)]);
    all(app, found, "pledges").await
}

pub async fn to_charge(app: &App, feature: &str, now: i64) -> Result<Vec<PledgeRow>, ApiError> {
    let found = statement(sql::TO_CHARGE, vec![text(feature), int(now)]);
    all(app, found, "to charge").await
}

pub async fn due_charges(app: &App, now: i64, limit: i64) -> Result<Vec<PledgeRow>, ApiError> {
    let found = statement(sql::DUE_CHARGES, vec![int(now), int(limit)]);
    all(app, found, "due charges").await
}

pub async fn to_release(app: &App, limit: i64) -> Result<Vec<PledgeRow>, ApiError> {
    let found = statement(sql::TO_RELEASE, vec![int(limit)]);
    all(app, found, "to release").await
}

/// The pledge, if this run took it to charge.
pub async fn claim(app: &App, id: &str, now: i64) -> Result<Option<PledgeRow>, ApiError> {
    first(
        app,
        statement(sql::CLAIM, vec![text(id), int(now)]),
        "claim",
    )
    .await
}

/// A charge refused: the reason, and when it is tried again (never: `None`).
pub async fn charge_failed(
    app: &App,
    id: &str,
    reason: &str,
    next: Option<i64>,
    now: i64,
) -> Result<(), ApiError> {
    let args = vec![
        text(id),
        text(reason),
        next.map_or(Arg::Null, int),
        int(now),
    ];
    run(app, statement(sql::CHARGE_FAILED, args), "charge failed").await
}

/// The provider's payment for a charge not yet answered.
pub async fn charge_ref(app: &App, id: &str, payment: &str) -> Result<(), ApiError> {
    let args = vec![text(id), text(payment)];
    run(app, statement(sql::CHARGE_REF, args), "charge ref").await
}

pub async fn method_of(app: &App, person: &str) -> Result<Option<SavedMethod>, ApiError> {
    let found = statement(sql::METHOD_OF, vec![text(person)]);
    first(app, found, "payment method").await
}

pub async fn save_customer(
    app: &App,
    person: &str,
    provider: &str,
    customer: &str,
    now: i64,
) -> Result<(), ApiError> {
    let args = vec![
        text(person),
        text(provider),
        text(customer),
        Arg::Null,
        int(now),
    ];
    run(app, statement(sql::SAVE_METHOD, args), "save customer").await
}

pub async fn features_of_pending(app: &App, person: &str) -> Result<Vec<String>, ApiError> {
    ids(app, sql::FEATURES_OF_PENDING, vec![text(person)], "pending").await
}

/// The statement that lets a pledge go at its backer's request (while its feature is open).
pub fn withdraw_step(id: &str, now: i64) -> Statement {
    statement(sql::WITHDRAW, vec![text(id), int(now)])
}

/// The statement that lets a pledge go without charge (its feature expired or was declined).
pub fn release_step(id: &str, now: i64) -> Statement {
    statement(sql::RELEASE, vec![text(id), int(now)])
}

/// The statement that records a pledge charged by the provider's payment `reference`.
pub fn charged_step(id: &str, reference: &str, now: i64) -> Statement {
    statement(sql::CHARGED, vec![text(id), text(reference), int(now)])
}

/// The statement that records a charged pledge paid back.
pub fn refunded_step(id: &str, now: i64) -> Statement {
    statement(sql::REFUNDED, vec![text(id), int(now)])
}

/// The statement that saves a person's card at the provider.
pub fn save_method_step(
    person: &str,
    provider: &str,
    customer: &str,
    card: &str,
    now: i64,
) -> Statement {
    let args = vec![
        text(person),
        text(provider),
        text(customer),
        text(card),
        int(now),
    ];
    statement(sql::SAVE_METHOD, args)
}

/// The statement that commits a person's pending pledges (their card is saved).
pub fn commit_pending_step(person: &str, now: i64) -> Statement {
    statement(sql::COMMIT_PENDING, vec![text(person), int(now)])
}
