//! The abuse limits' counters.

use super::{int, statement, text};
use crate::App;
use domain::error::ApiError;
use domain::limits::Limit;
use serde::Deserialize;

#[derive(Deserialize)]
struct Row {
    count: i64,
    window_start: i64,
}

/// Counts this request against each `(limit, subject)` in one batch, then applies the verdicts.
pub async fn enforce(app: &App, checks: &[(Limit, &str)], now: i64) -> Result<(), ApiError> {
    let bumps = checks
        .iter()
        .map(|(limit, subject)| {
            let counter = limit.counter(subject, now);
            let args = vec![text(&counter.key), int(counter.window_start)];
            statement(store::limits::BUMP, args)
        })
        .collect();
    let results = super::batch(app, bumps, "rate limit").await?;
    for ((limit, _), result) in checks.iter().zip(results) {
        let rows: Vec<Row> = super::decode(result.rows, "rate limit")?;
        if let Some(row) = rows.first() {
            limit.verdict(row.count, row.window_start, now)?;
        }
    }
    Ok(())
}
