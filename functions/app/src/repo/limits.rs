//! The abuse limits' counters.

use crate::App;
use domain::error::ApiError;
use domain::limits::Limit;
use store::limits::Counted;

/// Counts this request against each `(limit, subject)` in one batch, then applies the verdicts.
pub async fn enforce(app: &App, checks: &[(Limit, &str)], now: i64) -> Result<(), ApiError> {
    let bumps = checks
        .iter()
        .map(|(limit, subject)| store::limits::bump(&limit.counter(subject, now)).statement)
        .collect();
    let results = super::batch(app, bumps, "rate limit").await?;
    for ((limit, _), result) in checks.iter().zip(results) {
        let rows: Vec<Counted> = super::decode(result.rows, "rate limit")?;
        if let Some(row) = rows.first() {
            limit.verdict(row.count, row.window_start, now)?;
        }
    }
    Ok(())
}
