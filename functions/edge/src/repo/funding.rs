//! Donations, provider events and the ledger on D1.

use super::{all, database_error, db, first, int, opt_text, statement, text};
use domain::donation::{DonationRow, Payment, RefundedPayment, Summary};
use domain::error::ApiError;
use domain::ledger::{self, Entry, EntryKind};
use store::funding as sql;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

#[derive(serde::Deserialize)]
struct Count {
    n: i64,
}

/// The statement that records a new donation, pending.
pub fn insert_step(row: &DonationRow) -> Step {
    Step {
        sql: sql::INSERT_DONATION,
        args: vec![
            text(&row.id),
            opt_text(row.person_id.as_deref()),
            int(row.amount_cents),
            text(&row.currency),
            text(&row.recurring),
            text(&row.provider),
            int(row.created_at),
        ],
    }
}

pub async fn insert_donation(env: &Env, row: &DonationRow) -> Result<(), ApiError> {
    let db = db(env)?;
    let step = insert_step(row);
    statement(&db, step.sql, &step.args)?
        .run()
        .await
        .map_err(|e| database_error("donation", e))?;
    Ok(())
}

pub async fn set_checkout(env: &Env, id: &str, session: &str) -> Result<(), ApiError> {
    let db = db(env)?;
    statement(&db, sql::SET_CHECKOUT, &[text(id), text(session)])?
        .run()
        .await
        .map_err(|e| database_error("checkout", e))?;
    Ok(())
}

/// Whether a money movement is already in the ledger.
pub async fn has_source(env: &Env, source: &str) -> Result<bool, ApiError> {
    let count: Option<Count> = first(
        env,
        sql::LEDGER_HAS_SOURCE,
        &[text(source)],
        "ledger source",
    )
    .await?;
    Ok(count.is_some_and(|c| c.n > 0))
}

/// The payment a refund pays back, when the ledger entered it (under any of `paid_by`).
pub async fn refunded_payment(
    env: &Env,
    paid_by: &[String],
) -> Result<Option<RefundedPayment>, ApiError> {
    let names = serde_json::to_string(paid_by).unwrap_or_default();
    first(
        env,
        sql::LEDGER_REFUNDED,
        &[text(&names)],
        "refunded payment",
    )
    .await
}

pub async fn donation(env: &Env, id: &str) -> Result<Option<DonationRow>, ApiError> {
    first(env, sql::DONATION_BY_ID, &[text(id)], "donation").await
}

pub async fn donation_by_subscription(
    env: &Env,
    sub: &str,
) -> Result<Option<DonationRow>, ApiError> {
    first(env, sql::DONATION_BY_SUBSCRIPTION, &[text(sub)], "donation").await
}

pub async fn donations_of(env: &Env, person: &str) -> Result<Vec<DonationRow>, ApiError> {
    all(env, sql::DONATIONS_OF_PERSON, &[text(person)], "donations").await
}

pub async fn cancel(env: &Env, id: &str, now: i64) -> Result<(), ApiError> {
    let db = db(env)?;
    statement(&db, sql::CANCEL_DONATION, &[text(id), int(now)])?
        .run()
        .await
        .map_err(|e| database_error("cancel donation", e))?;
    Ok(())
}

pub async fn event_seen(env: &Env, id: &str) -> Result<bool, ApiError> {
    let count: Option<Count> = first(env, sql::EVENT_SEEN, &[text(id)], "payment event").await?;
    Ok(count.is_some_and(|c| c.n > 0))
}

pub async fn summary(env: &Env, year_ago: i64) -> Result<Summary, ApiError> {
    let row: Option<Summary> = first(env, sql::SUMMARY, &[int(year_ago)], "summary").await?;
    Ok(row.unwrap_or(Summary {
        donors: 0,
        monthly_cents: 0,
        total_cents: 0,
        currency: "EUR".into(),
    }))
}

/// The ledger's readers see it sealed: what was appended and not yet chained is sealed first
/// (one indexed read when all is).
pub async fn ledger_page(env: &Env, after: i64, limit: i64) -> Result<Vec<Entry>, ApiError> {
    seal(env).await?;
    all(env, sql::LEDGER_PAGE, &[int(after), int(limit)], "ledger").await
}

/// The latest entries, newest first.
pub async fn ledger_latest(env: &Env, limit: i64) -> Result<Vec<Entry>, ApiError> {
    seal(env).await?;
    all(env, sql::LEDGER_LATEST, &[int(limit)], "ledger").await
}

/// A page of the transparency page's lines, older than `before`, newest first.
pub async fn ledger_lines(
    env: &Env,
    before: i64,
    limit: i64,
) -> Result<Vec<domain::ledger::Line>, ApiError> {
    seal(env).await?;
    all(env, sql::LEDGER_LINES, &[int(before), int(limit)], "ledger").await
}

pub async fn ledger_all(env: &Env) -> Result<Vec<Entry>, ApiError> {
    seal(env).await?;
    all(env, sql::LEDGER_ALL, &[], "ledger").await
}

/// One statement of a batch.
pub struct Step {
    pub sql: &'static str,
    pub args: Vec<JsValue>,
}

/// Money to enter in the ledger in the same batch as the rest.
pub struct Movement {
    pub kind: EntryKind,
    pub reference: String,
    pub payment: Payment,
}

/// Runs the steps and appends the movements to the ledger, all in one batch (D1 runs a batch as
/// one transaction: all of it or nothing). An entry takes the next `seq` from SQLite as it is
/// inserted, so concurrent commits of different movements never conflict. With `leave_out`, a
/// movement already entered (same `source`) is left out; without, or entered meanwhile by a
/// concurrent request, it fails the batch (a broken constraint). The caller seals the chain
/// afterwards (`seal_after`).
pub async fn commit(
    env: &Env,
    steps: &[Step],
    movements: &[Movement],
    at: &str,
    leave_out: bool,
) -> Result<(), worker::Error> {
    let db = db(env).map_err(|_| worker::Error::RustError("binding DB".into()))?;
    let mut batch: Vec<D1PreparedStatement> = Vec::new();
    let prepare = |db: &D1Database, sql: &str, args: &[JsValue]| db.prepare(sql).bind(args);
    for step in steps {
        batch.push(prepare(&db, step.sql, &step.args)?);
    }
    for m in movements {
        let p = &m.payment;
        if leave_out {
            let entered: Option<Count> = prepare(&db, sql::LEDGER_HAS_SOURCE, &[text(&p.source)])?
                .first(None)
                .await?;
            if entered.is_some_and(|c| c.n > 0) {
                continue;
            }
        }
        let args = [
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
        batch.push(prepare(&db, insert, &args)?);
    }
    db.batch(batch).await?;
    Ok(())
}

/// For batches whose steps are conditional state changes (a provider's events, a charge run,
/// a withdrawal): committed, then the chain sealed. A batch that failed is tried again, which is
/// safe (its steps change nothing twice) and settles a race: a movement another request entered
/// meanwhile is then left out, and the rest of the batch applies.
pub async fn commit_retrying(
    env: &Env,
    steps: &[Step],
    movements: &[Movement],
    now: i64,
) -> Result<(), ApiError> {
    let at = domain::time::rfc3339(now);
    let mut last = None;
    for _ in 0..3 {
        match commit(env, steps, movements, &at, true).await {
            Ok(()) => return seal_after(env, movements).await,
            Err(error) => last = Some(error),
        }
    }
    Err(database_error(
        "commit",
        last.unwrap_or(worker::Error::RustError("commit".into())),
    ))
}

/// For a batch whose steps create what its movement pays for (a gift recorded by hand): once,
/// so that a movement entered meanwhile fails it whole, as 409, rather than leave a gift with no
/// money in the ledger.
pub async fn commit_once(
    env: &Env,
    steps: &[Step],
    movements: &[Movement],
    now: i64,
) -> Result<(), ApiError> {
    let at = domain::time::rfc3339(now);
    commit(env, steps, movements, &at, false)
        .await
        .map_err(|error| database_error("commit", error))?;
    seal_after(env, movements).await
}

/// Seals what a commit appended, now if possible; if not, the next read of the ledger or the
/// hourly run will (the money is in either way).
pub async fn seal_after(env: &Env, movements: &[Movement]) -> Result<(), ApiError> {
    if !movements.is_empty()
        && let Err(error) = seal(env).await
    {
        worker::console_error!("ledger seal: {}", error.code.code());
    }
    Ok(())
}

/// Seals the entries appended but not yet chained (`domain::ledger::seal`), in runs of 100.
/// Idempotent, and safe alongside another run: both compute the same hashes, and a hash is
/// written only where none is.
pub async fn seal(env: &Env) -> Result<(), ApiError> {
    let db = db(env)?;
    loop {
        let appended: Vec<ledger::Appended> =
            all(env, sql::LEDGER_TO_SEAL, &[int(101)], "ledger to seal").await?;
        let sealed = ledger::seal(&appended);
        if sealed.is_empty() {
            return Ok(());
        }
        let mut batch = Vec::with_capacity(sealed.len());
        for e in &sealed {
            batch.push(statement(
                &db,
                sql::SEAL_ENTRY,
                &[int(e.seq), text(&e.prev_hash), text(&e.hash)],
            )?);
        }
        db.batch(batch)
            .await
            .map_err(|e| database_error("ledger seal", e))?;
        if appended.len() < 101 {
            return Ok(());
        }
    }
}

pub async fn is_donor(env: &Env, person: &str, year_ago: i64) -> Result<bool, ApiError> {
    let count: Option<Count> =
        first(env, sql::IS_DONOR, &[text(person), int(year_ago)], "donor").await?;
    Ok(count.is_some_and(|c| c.n > 0))
}
