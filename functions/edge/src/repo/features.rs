//! Features, pledges and saved cards on D1.

use super::{all, database_error, db, first, int, opt_text, statement, text};
use crate::payments::SavedMethod;
use domain::error::ApiError;
use domain::feature::{FeatureRequest, FeatureRow};
use domain::pledge::PledgeRow;
use store::features as sql;
use wasm_bindgen::JsValue;
use worker::Env;

/// Runs one statement; how many rows it changed.
pub async fn run(env: &Env, sql: &str, args: &[JsValue], what: &str) -> Result<usize, ApiError> {
    let db = db(env)?;
    let result = statement(&db, sql, args)?
        .run()
        .await
        .map_err(|e| database_error(what, e))?;
    Ok(result
        .meta()
        .ok()
        .flatten()
        .and_then(|m| m.changes)
        .unwrap_or(0))
}

/// Runs statements as one transaction.
pub async fn batch(env: &Env, steps: &[(&str, Vec<JsValue>)], what: &str) -> Result<(), ApiError> {
    let db = db(env)?;
    let mut prepared = Vec::with_capacity(steps.len());
    for (sql, args) in steps {
        prepared.push(statement(&db, sql, args)?);
    }
    db.batch(prepared)
        .await
        .map_err(|e| database_error(what, e))?;
    Ok(())
}

pub async fn insert_feature(
    env: &Env,
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
    batch(
        env,
        &[
            (sql::INSERT_FEATURE, args),
            (sql::INSERT_HISTORY, vec![text(id), int(now)]),
        ],
        "feature",
    )
    .await
}

pub async fn feature(env: &Env, id: &str) -> Result<Option<FeatureRow>, ApiError> {
    first(env, sql::FEATURE_BY_ID, &[text(id)], "feature").await
}

pub async fn features(
    env: &Env,
    status: Option<&str>,
    now: i64,
) -> Result<Vec<FeatureRow>, ApiError> {
    all(
        env,
        sql::FEATURES,
        &[opt_text(status), int(now)],
        "features",
    )
    .await
}

#[derive(serde::Deserialize, serde::Serialize)]
pub struct Reached {
    pub status: String,
    pub at: i64,
}

pub async fn history(env: &Env, id: &str) -> Result<Vec<Reached>, ApiError> {
    all(env, sql::HISTORY, &[text(id)], "history").await
}

/// Funding → funded if the goal is reached (once, whoever asks).
pub async fn reach_goal(env: &Env, id: &str, now: i64) -> Result<(), ApiError> {
    let args = || vec![text(id), int(now)];
    batch(
        env,
        &[(sql::REACH_GOAL, args()), (sql::INSERT_HISTORY, args())],
        "reach goal",
    )
    .await
}

/// Funding → expired, when the deadline passed.
pub async fn expire(env: &Env, id: &str, now: i64) -> Result<(), ApiError> {
    let args = || vec![text(id), int(now)];
    batch(
        env,
        &[(sql::EXPIRE, args()), (sql::INSERT_HISTORY, args())],
        "expire",
    )
    .await
}

#[derive(serde::Deserialize)]
struct Id {
    id: String,
}

pub async fn due_to_expire(env: &Env, now: i64, limit: i64) -> Result<Vec<String>, ApiError> {
    let ids: Vec<Id> = all(env, sql::DUE_TO_EXPIRE, &[int(now), int(limit)], "due").await?;
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// An admin's move; false when the feature changed meanwhile.
pub async fn steer(
    env: &Env,
    row: &FeatureRow,
    status: &str,
    deadline: Option<i64>,
    now: i64,
) -> Result<bool, ApiError> {
    let args = [
        text(&row.id),
        text(status),
        deadline.map_or(JsValue::NULL, int),
        int(now),
        text(&row.status),
    ];
    let changed = run(env, sql::STEER, &args, "steer").await? == 1;
    if changed {
        run(
            env,
            sql::INSERT_HISTORY,
            &[text(&row.id), int(now)],
            "history",
        )
        .await?;
    }
    Ok(changed)
}

/// A new pledge; false when nothing was inserted (the key was used, or funding ended).
pub struct NewPledge<'a> {
    pub id: &'a str,
    pub feature_id: &'a str,
    pub person_id: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
    pub key: Option<&'a str>,
    pub moved_from: Option<&'a str>,
}

pub async fn insert_pledge(env: &Env, p: &NewPledge<'_>, now: i64) -> Result<bool, ApiError> {
    let args = [
        text(p.id),
        text(p.feature_id),
        text(p.person_id),
        int(p.amount_cents),
        text(p.currency),
        opt_text(p.key),
        opt_text(p.moved_from),
        int(now),
    ];
    Ok(run(env, sql::INSERT_PLEDGE, &args, "pledge").await? == 1)
}

pub async fn pledge(env: &Env, id: &str) -> Result<Option<PledgeRow>, ApiError> {
    first(env, sql::PLEDGE_BY_ID, &[text(id)], "pledge").await
}

pub async fn pledge_by_key(
    env: &Env,
    person: &str,
    key: &str,
) -> Result<Option<PledgeRow>, ApiError> {
    first(
        env,
        sql::PLEDGE_BY_KEY,
        &[text(person), text(key)],
        "pledge",
    )
    .await
}

pub async fn pledges_of(env: &Env, person: &str) -> Result<Vec<PledgeRow>, ApiError> {
    all(env, sql::PLEDGES_OF_PERSON, &[text(person)], "pledges").await
}

pub async fn to_charge(env: &Env, feature: &str, now: i64) -> Result<Vec<PledgeRow>, ApiError> {
    all(env, sql::TO_CHARGE, &[text(feature), int(now)], "to charge").await
}

pub async fn due_charges(env: &Env, now: i64, limit: i64) -> Result<Vec<PledgeRow>, ApiError> {
    all(
        env,
        sql::DUE_CHARGES,
        &[int(now), int(limit)],
        "due charges",
    )
    .await
}

pub async fn to_release(env: &Env, limit: i64) -> Result<Vec<PledgeRow>, ApiError> {
    all(env, sql::TO_RELEASE, &[int(limit)], "to release").await
}

/// The pledge, if this run took it to charge.
pub async fn claim(env: &Env, id: &str, now: i64) -> Result<Option<PledgeRow>, ApiError> {
    first(env, sql::CLAIM, &[text(id), int(now)], "claim").await
}

pub async fn method_of(env: &Env, person: &str) -> Result<Option<SavedMethod>, ApiError> {
    first(env, sql::METHOD_OF, &[text(person)], "payment method").await
}

pub async fn save_customer(
    env: &Env,
    person: &str,
    provider: &str,
    customer: &str,
    now: i64,
) -> Result<(), ApiError> {
    let args = [
        text(person),
        text(provider),
        text(customer),
        JsValue::NULL,
        int(now),
    ];
    run(env, sql::SAVE_METHOD, &args, "save customer").await?;
    Ok(())
}

pub async fn features_of_pending(env: &Env, person: &str) -> Result<Vec<String>, ApiError> {
    let ids: Vec<Id> = all(env, sql::FEATURES_OF_PENDING, &[text(person)], "pending").await?;
    Ok(ids.into_iter().map(|i| i.id).collect())
}
