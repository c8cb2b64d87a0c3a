//! `GET /api/search` and `GET /api/agenda`: one plan, one statement; in JSON, or exported in
//! an open-data format (`/api/search.geojson`, `/api/agenda.ics`, or the Accept header).

use crate::App;
use crate::handlers::export::{answer as exported, asks_json, format_of};
use crate::repo::{self, Cost};
use crate::request::Req;
use crate::respond::{self, Outcome, Response};
use axum::extract::State;
use domain::error::ApiError;
use domain::export::{self, AGENDA, DIRECTORY, Format};
use domain::search::{Page, Plan};

async fn found(app: &App, pairs: &[(String, String)]) -> Result<(Page, Cost), ApiError> {
    let plan = Plan::from_query(pairs)?;
    repo::search::find(app, &plan).await
}

async fn answer(app: &App, req: &Req, pairs: &[(String, String)], offered: &[Format]) -> Outcome {
    let format = format_of(req, offered)?;
    if format == Format::Json {
        return json(app, pairs).await;
    }
    let (page, cost) = found(app, pairs).await?;
    let body = export::items(format, &page.items, &app.config.site_url, app.now());
    let response = with_cost(exported(format, body)?, cost)?;
    match &page.next_cursor {
        // The next page of an export, as RFC 8288 links it.
        Some(cursor) => {
            let next = req.with_query("cursor", cursor);
            respond::with_header(response, "Link", &format!("<{next}>; rel=\"next\""))
        }
        None => Ok(response),
    }
}

/// What the database read for this answer and how long its statements ran, in the standard
/// Server-Timing header (browsers' developer tools show it; `make bench` compares the rows to
/// those returned and subtracts the time from the request's CPU time). Counts only.
fn with_cost(response: Response, cost: Cost) -> Outcome {
    let value = format!(
        "d1;dur={:.3};desc=\"rows_read={} rows_returned={}\"",
        cost.sql_ms, cost.rows_read, cost.rows_returned
    );
    respond::with_header(response, "Server-Timing", &value)
}

pub async fn search(State(app): State<App>, req: Req) -> Outcome {
    let pairs = req.query_pairs();
    answer(&app, &req, &pairs, DIRECTORY).await
}

/// The search in JSON only: what the Workers front serves, without the export formats' code.
pub async fn search_json(State(app): State<App>, req: Req) -> Outcome {
    if !asks_json(&req, DIRECTORY) {
        return Ok(respond::unrouted());
    }
    json(&app, &req.query_pairs()).await
}

async fn json(app: &App, pairs: &[(String, String)]) -> Outcome {
    let (page, cost) = found(app, pairs).await?;
    with_cost(respond::json(&page)?, cost)
}

/// Events in a scope and date range, by start; from today when no `from` is given.
fn agenda_pairs(app: &App, req: &Req) -> Vec<(String, String)> {
    let mut pairs = req.query_pairs();
    pairs.retain(|(k, _)| k != "kind" && k != "sort");
    pairs.push(("kind".into(), "event".into()));
    pairs.push(("sort".into(), "date".into()));
    if !pairs.iter().any(|(k, _)| k == "from") {
        let now = app.now();
        let today = now - now.rem_euclid(86_400);
        pairs.push(("from".into(), domain::time::rfc3339(today)));
    }
    pairs
}

pub async fn agenda(State(app): State<App>, req: Req) -> Outcome {
    let pairs = agenda_pairs(&app, &req);
    answer(&app, &req, &pairs, AGENDA).await
}

pub async fn agenda_json(State(app): State<App>, req: Req) -> Outcome {
    if !asks_json(&req, AGENDA) {
        return Ok(respond::unrouted());
    }
    json(&app, &agenda_pairs(&app, &req)).await
}
