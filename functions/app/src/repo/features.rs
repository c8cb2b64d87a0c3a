//! Features, pledges and saved cards: the store's statements (`store::features`), run.

use super::{Statement, batch, query, query_first, run};
use crate::App;
use domain::error::ApiError;
use domain::feature::{FeatureRequest, FeatureRow};
use domain::funding::FeatureStatus;
use domain::pledge::PledgeRow;
use store::features::{Id, feature, pledge};
pub use store::features::{NewPledge, Reached, SavedMethod};

pub async fn insert_feature(
    app: &App,
    id: &str,
    asked: &FeatureRequest,
    person: &str,
    now: i64,
) -> Result<(), ApiError> {
    let steps = vec![
        feature::insert(id, asked, person, now),
        feature::note_history(id, now),
    ];
    batch(app, steps, "feature").await.map(|_| ())
}

pub async fn feature(app: &App, id: &str) -> Result<Option<FeatureRow>, ApiError> {
    query_first(app, feature::by_id(id), "feature").await
}

pub async fn features(
    app: &App,
    status: Option<FeatureStatus>,
    now: i64,
) -> Result<Vec<FeatureRow>, ApiError> {
    query(app, feature::listed(status, now), "features").await
}

pub async fn history(app: &App, id: &str) -> Result<Vec<Reached>, ApiError> {
    query(app, feature::history(id), "history").await
}

/// A change of a feature's status with its history, in one batch.
async fn transition(app: &App, change: Statement, id: &str, now: i64) -> Result<(), ApiError> {
    let steps = vec![change, feature::note_history(id, now)];
    batch(app, steps, "feature status").await.map(|_| ())
}

/// Funding → funded if the goal is reached (once, whoever asks).
pub async fn reach_goal(app: &App, id: &str, now: i64) -> Result<(), ApiError> {
    transition(app, feature::reach_goal(id, now), id, now).await
}

/// Funding → expired, when the deadline passed.
pub async fn expire(app: &App, id: &str, now: i64) -> Result<(), ApiError> {
    transition(app, feature::expire(id, now), id, now).await
}

fn ids(rows: Vec<Id>) -> Vec<String> {
    rows.into_iter().map(|i| i.id).collect()
}

pub async fn due_to_expire(app: &App, now: i64, limit: i64) -> Result<Vec<String>, ApiError> {
    Ok(ids(
        query(app, feature::due_to_expire(now, limit), "due").await?
    ))
}

/// An admin's move; false when the feature changed meanwhile.
pub async fn steer(
    app: &App,
    row: &FeatureRow,
    status: FeatureStatus,
    deadline: Option<i64>,
    now: i64,
) -> Result<bool, ApiError> {
    let steered = feature::steer(row, status, deadline, now);
    let changed = query_first(app, steered, "steer").await?.is_some();
    if changed {
        run(app, feature::note_history(&row.id, now), "history").await?;
    }
    Ok(changed)
}

/// The pledge inserted; none when nothing was (the key was used, or funding ended).
pub async fn insert_pledge(
    app: &App,
    p: &NewPledge<'_>,
    now: i64,
) -> Result<Option<PledgeRow>, ApiError> {
    run(app, pledge::insert(p, now), "pledge").await?;
    // The id is new: found, it was inserted just now.
    self::pledge(app, p.id).await
}

pub async fn pledge(app: &App, id: &str) -> Result<Option<PledgeRow>, ApiError> {
    query_first(app, pledge::by_id(id), "pledge").await
}

pub async fn pledge_by_key(
    app: &App,
    person: &str,
    key: &str,
) -> Result<Option<PledgeRow>, ApiError> {
    query_first(app, pledge::by_key(person, key), "pledge").await
}

pub async fn pledges_of(app: &App, person: &str) -> Result<Vec<PledgeRow>, ApiError> {
    query(app, pledge::of_person(person), "pledges").await
}

pub async fn to_charge(app: &App, feature: &str, now: i64) -> Result<Vec<PledgeRow>, ApiError> {
    query(app, pledge::to_charge(feature, now), "to charge").await
}

pub async fn due_charges(app: &App, now: i64, limit: i64) -> Result<Vec<PledgeRow>, ApiError> {
    query(app, pledge::due_charges(now, limit), "due charges").await
}

pub async fn to_release(app: &App, limit: i64) -> Result<Vec<PledgeRow>, ApiError> {
    query(app, pledge::to_release(limit), "to release").await
}

/// The pledge, if this run took it to charge.
pub async fn claim(app: &App, id: &str, now: i64) -> Result<Option<PledgeRow>, ApiError> {
    query_first(app, pledge::claim(id, now), "claim").await
}

/// A charge refused: the reason, and when it is tried again (never: `None`).
pub async fn charge_failed(
    app: &App,
    id: &str,
    reason: &str,
    next: Option<i64>,
    now: i64,
) -> Result<(), ApiError> {
    let failed = pledge::charge_failed(id, reason, next, now);
    run(app, failed, "charge failed").await
}

/// The provider's payment for a charge not yet answered.
pub async fn charge_ref(app: &App, id: &str, payment: &str) -> Result<(), ApiError> {
    run(app, pledge::charge_ref(id, payment), "charge ref").await
}

pub async fn method_of(app: &App, person: &str) -> Result<Option<SavedMethod>, ApiError> {
    query_first(app, pledge::method_of(person), "payment method").await
}

pub async fn save_customer(
    app: &App,
    person: &str,
    provider: &str,
    customer: &str,
    now: i64,
) -> Result<(), ApiError> {
    let saved = pledge::save_method(person, provider, customer, None, now);
    run(app, saved, "save customer").await
}

pub async fn features_of_pending(app: &App, person: &str) -> Result<Vec<String>, ApiError> {
    Ok(ids(query(
        app,
        pledge::features_of_pending(person),
        "pending",
    )
    .await?))
}
