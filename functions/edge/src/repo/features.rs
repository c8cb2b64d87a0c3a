//! Features and pledges are the application's (`app::repo::features`): what the edge's handlers
//! not yet moved still call, on this request's bindings; and the D1 helpers they share.

use super::{database_error, db, statement};
use domain::error::ApiError;
use domain::feature::FeatureRow;
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

/// `app::repo::features::feature`.
pub async fn feature(env: &Env, id: &str) -> Result<Option<FeatureRow>, ApiError> {
    app::repo::features::feature(&crate::host::application(env)?, id).await
}

/// `app::repo::features::features`.
pub async fn features(
    env: &Env,
    status: Option<&str>,
    now: i64,
) -> Result<Vec<FeatureRow>, ApiError> {
    app::repo::features::features(&crate::host::application(env)?, status, now).await
}

/// `app::repo::features::steer`.
pub async fn steer(
    env: &Env,
    row: &FeatureRow,
    status: &str,
    deadline: Option<i64>,
    now: i64,
) -> Result<bool, ApiError> {
    app::repo::features::steer(&crate::host::application(env)?, row, status, deadline, now).await
}
