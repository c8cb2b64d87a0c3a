//! Donations, the ledger and the funding summary.

use super::{first, int, statement, text};
use crate::App;
use domain::error::ApiError;
use store::funding as sql;

#[derive(serde::Deserialize)]
struct Count {
    n: i64,
}

/// Whether the person gave in the last year (`year_ago` on) or gives monthly.
pub async fn is_donor(app: &App, person: &str, year_ago: i64) -> Result<bool, ApiError> {
    let found = statement(sql::IS_DONOR, vec![text(person), int(year_ago)]);
    let count: Option<Count> = first(app, found, "donor").await?;
    Ok(count.is_some_and(|c| c.n > 0))
}
