//! Money movements entered in the ledger in the same batch as the state changes that imply
//! them, and the chain sealed afterwards.

use super::{Statement, all, database_error, int, statement, text};
use crate::App;
use domain::donation::Payment;
use domain::error::ApiError;
use domain::ledger::{self, EntryKind};
use store::db::DbError;
use store::funding as sql;

/// Money to enter in the ledger in the same batch as the rest.
pub struct Movement {
    pub kind: EntryKind,
    pub reference: String,
    pub payment: Payment,
}

/// Whether a movement from `source` is in the ledger already (the raw failure: a commit is
/// tried again on it).
async fn entered(app: &App, source: &str) -> Result<bool, DbError> {
    let found = app
        .db
        .all(statement(sql::LEDGER_HAS_SOURCE, vec![text(source)]))
        .await?;
    let count = found.rows.first().and_then(|row| row["n"].as_i64());
    Ok(count.is_some_and(|n| n > 0))
}

/// Runs the steps and appends the movements to the ledger, all in one batch (one transaction:
/// all of it or nothing). An entry takes the next `seq` from SQLite as it is inserted, so
/// concurrent commits of different movements never conflict. With `leave_out`, a movement
/// already entered (same `source`) is left out; without, or entered meanwhile by a concurrent
/// request, it fails the batch (a broken constraint). The caller seals the chain afterwards
/// (`seal_after`).
pub async fn commit(
    app: &App,
    steps: &[Statement],
    movements: &[Movement],
    at: &str,
    leave_out: bool,
) -> Result<(), DbError> {
    let mut batch: Vec<Statement> = steps.to_vec();
    for m in movements {
        let p = &m.payment;
        if leave_out && entered(app, &p.source).await? {
            continue;
        }
        let args = vec![
            text(at),
            text(m.kind.as_str()),
            int(p.amount_cents),
            text(&p.currency),
            text(&m.reference),
            text(&p.source),
        ];
        // A release is entered only if its pledge was let go in this batch.
        let insert = match m.kind {
            EntryKind::Release => sql::INSERT_RELEASE,
            _ => sql::INSERT_ENTRY,
        };
        batch.push(statement(insert, args));
    }
    app.db.batch(batch).await?;
    Ok(())
}

/// For batches whose steps are conditional state changes (a provider's events, a charge run,
/// a withdrawal, a budget vote's allocation): committed, then the chain sealed. A batch that
/// failed is tried again, which is safe (its steps change nothing twice) and settles a race: a
/// movement another request entered meanwhile is then left out, and the rest of the batch
/// applies.
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
    let last = last.unwrap_or_else(|| DbError {
        message: "commit".into(),
    });
    Err(database_error("commit", last))
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
        let to_seal = statement(sql::LEDGER_TO_SEAL, vec![int(101)]);
        let appended: Vec<ledger::Appended> = all(app, to_seal, "ledger to seal").await?;
        let sealed = ledger::seal(&appended);
        if sealed.is_empty() {
            return Ok(());
        }
        let batch = sealed
            .iter()
            .map(|e| {
                let args = vec![int(e.seq), text(&e.prev_hash), text(&e.hash)];
                statement(sql::SEAL_ENTRY, args)
            })
            .collect();
        super::batch(app, batch, "ledger seal").await?;
        if appended.len() < 101 {
            return Ok(());
        }
    }
}
