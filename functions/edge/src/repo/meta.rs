use super::{database_error, db};
use domain::error::{ApiError, ErrorCode};
use serde::Deserialize;
use worker::Env;

pub async fn schema_version(env: &Env) -> Result<i64, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        version: i64,
    }
    let row: Option<Row> = db(env)?
        .prepare(store::meta::SCHEMA_VERSION)
        .first(None)
        .await
        .map_err(|error| database_error("schema_version", error))?;
    row.map(|row| row.version)
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))
}
