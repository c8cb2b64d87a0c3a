use crate::App;
use domain::error::{ApiError, ErrorCode};

pub async fn schema_version(app: &App) -> Result<i64, ApiError> {
    let row = super::query_first(app, store::meta::schema_version(), "schema_version").await?;
    row.map(|row| row.version)
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))
}
