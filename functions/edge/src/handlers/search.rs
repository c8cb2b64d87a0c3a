//! `GET /api/search` and `GET /api/agenda`: one plan, one statement; in JSON, or exported in
//! an open-data format (`/api/search.geojson`, `/api/agenda.ics`, or the Accept header).
//! The front worker serves the JSON (`*_json`); the back, every format.

use crate::config::Config;
use crate::handlers::export::{answer as exported, format_of};
use crate::respond::{self, Outcome};
use crate::{platform, repo, request};
use domain::error::ApiError;
use domain::export::{self, AGENDA, DIRECTORY, Format};
use domain::search::{Page, Plan};
use worker::{Env, Request, Response, Result, RouteContext};

async fn found(
    env: &Env,
    pairs: &[(String, String)],
) -> std::result::Result<(Page, repo::Cost), ApiError> {
    let plan = Plan::from_query(pairs)?;
    repo::search::find(env, &plan).await
}

async fn json(env: &Env, pairs: &[(String, String)]) -> Outcome {
    let (page, cost) = found(env, pairs).await?;
    with_cost(respond::json(&page)?, cost)
}

async fn answer(
    req: &Request,
    env: &Env,
    pairs: &[(String, String)],
    offered: &[Format],
) -> Outcome {
    let format = format_of(req, offered)?;
    if format == Format::Json {
        return json(env, pairs).await;
    }
    let (page, cost) = found(env, pairs).await?;
    let site = Config::from_env(env).site_url;
    let body = export::items(format, &page.items, &site, platform::now());
    let response = with_cost(exported(format, body)?, cost)?;
    match &page.next_cursor {
        // The next page of an export, as RFC 8288 links it.
        Some(cursor) => {
            let next = request::with_query(req, "cursor", cursor);
            respond::with_header(response, "Link", &format!("<{next}>; rel=\"next\""))
        }
        None => Ok(response),
    }
}

/// What D1 read for this answer and how long its statements ran, in the standard Server-Timing
/// header (browsers' developer tools show it; `make bench` compares the rows to those returned
/// and subtracts the time from the request's CPU time). Counts only, nothing private.
fn with_cost(response: Response, cost: repo::Cost) -> Outcome {
    let value = format!(
        "d1;dur={:.3};desc=\"rows_read={} rows_returned={}\"",
        cost.sql_ms, cost.rows_read, cost.rows_returned
    );
    respond::with_header(response, "Server-Timing", &value)
}

pub async fn search(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let pairs = request::query_pairs(&req);
    respond::outcome(answer(&req, &ctx.env, &pairs, DIRECTORY).await)
}

pub async fn search_json(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(json(&ctx.env, &request::query_pairs(&req)).await)
}

/// Events in a scope and date range, by start; from today when no `from` is given.
fn agenda_pairs(req: &Request) -> Vec<(String, String)> {
    let mut pairs = request::query_pairs(req);
    pairs.retain(|(k, _)| k != "kind" && k != "sort");
    pairs.push(("kind".into(), "event".into()));
    pairs.push(("sort".into(), "date".into()));
    if !pairs.iter().any(|(k, _)| k == "from") {
        let today = platform::now() - platform::now().rem_euclid(86_400);
        pairs.push(("from".into(), domain::time::rfc3339(today)));
    }
    pairs
}

pub async fn agenda(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let pairs = agenda_pairs(&req);
    respond::outcome(answer(&req, &ctx.env, &pairs, AGENDA).await)
}

pub async fn agenda_json(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(json(&ctx.env, &agenda_pairs(&req)).await)
}
