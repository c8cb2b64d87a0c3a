use super::{database_error, db, int, statement, text};
use domain::error::ApiError;
use domain::limits::Limit;
use serde::Deserialize;
use worker::Env;

#[derive(Deserialize)]
struct Row {
    count: i64,
    window_start: i64,
}

/// Counts this request against each `(limit, subject)` in one batch, then applies the verdicts.
pub async fn enforce(env: &Env, checks: &[(Limit, &str)], now: i64) -> Result<(), ApiError> {
    let db = db(env)?;
    let mut statements = Vec::with_capacity(checks.len());
    for (limit, subject) in checks {
        let counter = limit.counter(subject, now);
        statements.push(statement(
            &db,
            store::limits::BUMP,
            &[text(&counter.key), int(counter.window_start)],
        )?);
    }
    let results = db
        .batch(statements)
        .await
        .map_err(|e| database_error("rate limit", e))?;
    for ((limit, _), result) in checks.iter().zip(results) {
        let rows: Vec<Row> = result
            .results()
            .map_err(|e| database_error("rate limit", e))?;
        if let Some(row) = rows.first() {
            limit.verdict(row.count, row.window_start, now)?;
        }
    }
    Ok(())
}
