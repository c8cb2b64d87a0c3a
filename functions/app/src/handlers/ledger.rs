//! The public ledger: its pages, its verification and its CSV export; expenses entered by the
//! treasurer.

use crate::repo::ledger as store;
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::error::{ApiError, ErrorCode};
use serde_json::json;

/// `GET /api/ledger?cursor=&limit=`: oldest first; the cursor is the last sequence number seen.
pub async fn list(State(app): State<App>, req: Req) -> Outcome {
    let limit = domain::paging::limit(req.query("limit").as_deref())?;
    let after = match req.query("cursor") {
        None => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "cursor"))?,
    };
    let items = store::ledger_page(&app, after, limit + 1).await?;
    let more = items.len() as i64 > limit;
    let items: Vec<_> = items.into_iter().take(limit as usize).collect();
    let next = if more {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    respond::json(&json!({"items": items, "next_cursor": next}))
}

/// `GET /api/ledger/verify`: recomputes the whole chain; names the first entry that breaks it.
pub async fn verify(State(app): State<App>) -> Outcome {
    let entries = store::ledger_all(&app).await?;
    match domain::ledger::verify(&entries) {
        Ok(verified) => respond::json(&verified),
        Err(broken) => respond::json(&broken),
    }
}

/// `GET /api/ledger.csv`: every entry, for a spreadsheet.
pub async fn csv(State(app): State<App>) -> Outcome {
    let entries = store::ledger_all(&app).await?;
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for entry in &entries {
        writer
            .serialize(entry)
            .map_err(|_| ApiError::new(ErrorCode::Internal))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|_| ApiError::new(ErrorCode::Internal))?;
    let body = String::from_utf8(bytes).map_err(|_| ApiError::new(ErrorCode::Internal))?;
    let response = respond::with_body(200, "text/csv; charset=utf-8", body);
    respond::with_header(
        response,
        "Content-Disposition",
        "attachment; filename=\"grand-livre.csv\"",
    )
}

/// `POST /api/ledger/expenses` (the treasurer): money spent, entered with what it paid for.
pub async fn expense(State(app): State<App>, mut req: Req) -> Outcome {
    use domain::access::Action;
    req.check_write()?;
    session::allowed(&req, &app, Action::RecordManualPayment).await?;
    let asked = req.json::<domain::ledger::ExpenseInput>().await?;
    let (amount_cents, currency, reference) = asked.check()?;
    let now = app.now();
    let movement = store::Movement {
        kind: domain::ledger::EntryKind::Expense,
        reference,
        payment: domain::donation::Payment {
            amount_cents,
            currency,
            source: format!("expense:{}", app.token()),
        },
    };
    store::commit_retrying(&app, &[], &[movement], now).await?;
    let latest = store::ledger_latest(&app, 1).await?;
    respond::json_status(&latest.first(), 201)
}

/// `GET /api/ledger/latest?limit=`: the newest entries first, the head hash and the count.
pub async fn latest(State(app): State<App>, req: Req) -> Outcome {
    let limit = domain::paging::limit(req.query("limit").as_deref())?;
    let items = store::ledger_latest(&app, limit).await?;
    let head = items
        .first()
        .map_or(domain::ledger::GENESIS, |e| e.hash.as_str());
    let count = items.first().map_or(0, |e| e.seq);
    respond::json(&json!({"items": items, "head": head, "count": count}))
}
