//! The D1 repository: every statement comes from the `store` crate, where it is tested natively.

use domain::error::{ApiError, ErrorCode};
use serde::Deserialize;
use worker::{D1Database, Env};

fn db(env: &Env) -> Result<D1Database, ApiError> {
    env.d1("DB")
        .map_err(|error| unavailable("binding DB", error))
}

/// Logs the cause for the operator and hands the client only a stable code.
fn unavailable(what: &str, error: worker::Error) -> ApiError {
    worker::console_error!("D1 {what}: {error}");
    ApiError::new(ErrorCode::Unavailable)
}

pub async fn schema_version(env: &Env) -> Result<i64, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        version: i64,
    }
    let row: Option<Row> = db(env)?
        .prepare(store::meta::SCHEMA_VERSION)
        .first(None)
        .await
        .map_err(|error| unavailable("schema_version", error))?;
    row.map(|row| row.version)
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))
}
