//! The public ledger: money entered in the same batch as what it pays for, the chain sealed
//! afterwards, and its reads (each sealed first).

use super::{Statement, database_error, query, query_first};
use crate::App;
use domain::donation::RefundedPayment;
use domain::error::ApiError;
use domain::ledger::{self, Entry};
use store::db::{Count, DbError};
pub use store::funding::Movement;
use store::funding::ledger as sql;

/// Whether a money movement is already in the ledger.
pub async fn has_source(app: &App, source: &str) -> Result<bool, ApiError> {
    Ok(Count::any(
        &query(app, sql::has_source(source), "ledger source").await?,
    ))
}

/// The payment a refund pays back, when the ledger entered it (under any of `paid_by`).
pub async fn refunded_payment(
    app: &App,
    paid_by: &[String],
) -> Result<Option<RefundedPayment>, ApiError> {
    query_first(app, sql::refunded(paid_by), "refunded payment").await
}

/// The ledger's readers see it sealed: what was appended and not yet chained is sealed first
/// (one indexed read when all is).
pub async fn ledger_page(app: &App, after: i64, limit: i64) -> Result<Vec<Entry>, ApiError> {
    seal(app).await?;
    query(app, sql::page(after, limit), "ledger").await
}

/// The latest entries, newest first.
pub async fn ledger_latest(app: &App, limit: i64) -> Result<Vec<Entry>, ApiError> {
    seal(app).await?;
    query(app, sql::latest(limit), "ledger").await
}

/// A page of the transparency page's lines, older than `before`, newest first.
pub async fn ledger_lines(
    app: &App,
    before: i64,
    limit: i64,
) -> Result<Vec<ledger::Line>, ApiError> {
    seal(app).await?;
    query(app, sql::lines(before, limit), "ledger").await
}

pub async fn ledger_all(app: &App) -> Result<Vec<Entry>, ApiError> {
    seal(app).await?;
    query(app, sql::all(), "ledger").await
}

/// Whether a movement is already entered, read as `commit` needs it: the database's own error.
async fn entered(app: &App, source: &str) -> Result<bool, DbError> {
    let found = app.db.all(sql::has_source(source).statement).await?;
    let rows = serde_json::from_str::<Vec<Count>>(&found.rows);
    rows.map(|rows| Count::any(&rows)).map_err(|e| DbError {
        message: format!("ledger source: {e}"),
    })
}

/// Runs the steps and appends the movements to the ledger, all in one batch (the database runs
/// a batch as one transaction: all of it or nothing). An entry takes the next `seq` from SQLite
/// as it is inserted, so concurrent commits of different movements never conflict. With
/// `leave_out`, a movement already entered (same `source`) is left out; without, or entered
/// meanwhile by a concurrent request, it fails the batch (a broken constraint). The caller
/// seals the chain afterwards (`seal_after`).
pub async fn commit(
    app: &App,
    steps: &[Statement],
    movements: &[Movement],
    at: &str,
    leave_out: bool,
) -> Result<(), DbError> {
    let mut batch = steps.to_vec();
    for m in movements {
        if leave_out && entered(app, &m.payment.source).await? {
            continue;
        }
        batch.push(sql::append(m, at));
    }
    app.db.batch(batch).await.map(|_| ())
}

/// For batches whose steps are conditional state changes (a provider's events, a charge run,
/// a withdrawal): committed, then the chain sealed. A batch that failed is tried again, which is
/// safe (its steps change nothing twice) and settles a race: a movement another request entered
/// meanwhile is then left out, and the rest of the batch applies.
pub async fn commit_retrying(
    app: &App,
    steps: &[Statement],
    movements: &[Movement],
    now: i64,
) -> Result<(), ApiError> {
    let at = domain::time::rfc3339(now);
    let mut last = None;
    for _ in 0..3 {
        match commit(app, steps, movements, &at, true).await {
            Ok(()) => return seal_after(app, movements).await,
            Err(error) => last = Some(error),
        }
    }
    let error = last.unwrap_or_else(|| DbError {
        message: "commit".into(),
    });
    Err(database_error("commit", error))
}

/// For a batch whose steps create what its movement pays for (a gift recorded by hand): once,
/// so that a movement entered meanwhile fails it whole, as 409, rather than leave a gift with no
/// money in the ledger.
pub async fn commit_once(
    app: &App,
    steps: &[Statement],
    movements: &[Movement],
    now: i64,
) -> Result<(), ApiError> {
    let at = domain::time::rfc3339(now);
    commit(app, steps, movements, &at, false)
        .await
        .map_err(|error| database_error("commit", error))?;
    seal_after(app, movements).await
}

/// Seals what a commit appended, now if possible; if not, the next read of the ledger or the
/// hourly run will (the money is in either way).
pub async fn seal_after(app: &App, movements: &[Movement]) -> Result<(), ApiError> {
    if !movements.is_empty()
        && let Err(error) = seal(app).await
    {
        crate::log::error(&format!("ledger seal: {}", error.code.code()));
    }
    Ok(())
}

/// Seals the entries appended but not yet chained (`domain::ledger::seal`), in runs of 100.
/// Idempotent, and safe alongside another run: both compute the same hashes, and a hash is
/// written only where none is.
pub async fn seal(app: &App) -> Result<(), ApiError> {
    loop {
        let appended = query(app, sql::to_seal(101), "ledger to seal").await?;
        let sealed = ledger::seal(&appended);
        if sealed.is_empty() {
            return Ok(());
        }
        let batch = sealed.iter().map(sql::seal).collect();
        super::batch(app, batch, "ledger seal").await?;
        if appended.len() < 101 {
            return Ok(());
        }
    }
}
