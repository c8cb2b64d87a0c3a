use crate::App;
use domain::error::{ApiError, ErrorCode};
use serde::Deserialize;

pub async fn schema_version(app: &App) -> Result<i64, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        version: i64,
    }
    let row: Option<Row> = super::first(
        app,
        super::statement(store::meta::SCHEMA_VERSION, vec![]),
        "schema_version",
    )
    .await?;
    row.map(|row| row.version)
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))
}
