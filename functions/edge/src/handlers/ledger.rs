//! The public ledger: its pages, its verification and its CSV export.

use crate::repo::funding as store;
use crate::request;
use crate::respond::{self, Outcome};
use domain::error::{ApiError, ErrorCode};
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

/// `GET /api/ledger?cursor=&limit=`: oldest first; the cursor is the last sequence number seen.
pub async fn list(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let limit = domain::paging::limit(request::query(&req, "limit").as_deref())?;
            let after = match request::query(&req, "cursor") {
                None => 0,
                Some(c) => c
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "cursor"))?,
            };
            let items = store::ledger_page(&ctx.env, after, limit + 1).await?;
            let more = items.len() as i64 > limit;
            let items: Vec<_> = items.into_iter().take(limit as usize).collect();
            let next = if more {
                items.last().map(|e| e.seq.to_string())
            } else {
                None
            };
            respond::json(&json!({"items": items, "next_cursor": next}))
        }
        .await,
    )
}

/// `GET /api/ledger/verify`: recomputes the whole chain; names the first entry that breaks it.
pub async fn verify(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let entries = store::ledger_all(&ctx.env).await?;
            match domain::ledger::verify(&entries) {
                Ok(verified) => respond::json(&verified),
                Err(broken) => respond::json(&broken),
            }
        }
        .await,
    )
}

/// `GET /api/ledger.csv`: every entry, for a spreadsheet.
pub async fn csv(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(csv_body(&ctx).await)
}

async fn csv_body(ctx: &RouteContext<()>) -> Outcome {
    let entries = store::ledger_all(&ctx.env).await?;
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
    let response = Response::ok(body).map_err(|_| ApiError::new(ErrorCode::Internal))?;
    let response = respond::with_header(response, "Content-Type", "text/csv; charset=utf-8")?;
    respond::with_header(
        response,
        "Content-Disposition",
        "attachment; filename=\"grand-livre.csv\"",
    )
}

/// `POST /api/ledger/expenses` (the treasurer): money spent, entered with what it paid for.
pub async fn expense(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    use domain::access::Action;
    respond::outcome(
        async {
            request::check_write(&req)?;
            crate::session::allowed(&req, &ctx.env, Action::RecordManualPayment).await?;
            let asked = request::json::<domain::ledger::ExpenseInput>(&mut req).await?;
            let (amount_cents, currency, reference) = asked.check()?;
            let now = crate::platform::now();
            let movement = store::Movement {
                kind: domain::ledger::EntryKind::Expense,
                reference,
                payment: domain::donation::Payment {
                    amount_cents,
                    currency,
                    source: format!("expense:{}", crate::platform::token()),
                },
            };
            store::commit_retrying(&ctx.env, &[], &[movement], now).await?;
            let latest = store::ledger_latest(&ctx.env, 1).await?;
            respond::json_status(&latest.first(), 201)
        }
        .await,
    )
}

/// `GET /api/ledger/latest?limit=`: the newest entries first, the head hash and the count.
pub async fn latest(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let limit = domain::paging::limit(request::query(&req, "limit").as_deref())?;
            let items = store::ledger_latest(&ctx.env, limit).await?;
            let head = items
                .first()
                .map_or(domain::ledger::GENESIS, |e| e.hash.as_str());
            let count = items.first().map_or(0, |e| e.seq);
            respond::json(&json!({"items": items, "head": head, "count": count}))
        }
        .await,
    )
}
