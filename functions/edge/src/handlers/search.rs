//! `GET /api/search` and `GET /api/agenda`: one plan, one statement; in JSON, or exported in
//! an open-data format (`/api/search.geojson`, `/api/agenda.ics`, or the Accept header).

use crate::config::Config;
use crate::handlers::export::{answer as exported, format_of};
use crate::respond::{self, Outcome};
use crate::{platform, repo, request};
use domain::export::{self, AGENDA, DIRECTORY, Format};
use domain::search::Plan;
use worker::{Env, Request, Response, Result, RouteContext};

async fn answer(
    req: &Request,
    env: &Env,
    pairs: &[(String, String)],
    offered: &[Format],
) -> Outcome {
    let format = format_of(req, offered)?;
    let plan = Plan::from_query(pairs)?;
    let (page, cost) = repo::search::find(env, &plan).await?;
    if format == Format::Json {
        return with_cost(respond::json(&page)?, cost);
    }
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

/// What D1 read for this answer, in the standard Server-Timing header (browsers' developer
/// tools show it; `make bench` compares it to the rows returned). Counts only, nothing private.
fn with_cost(response: Response, cost: repo::Cost) -> Outcome {
    let value = format!(
        "d1;desc=\"rows_read={} rows_returned={}\"",
        cost.rows_read, cost.rows_returned
    );
    respond::with_header(response, "Server-Timing", &value)
}

pub async fn search(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let pairs = request::query_pairs(&req);
    respond::outcome(answer(&req, &ctx.env, &pairs, DIRECTORY).await)
}

/// Events in a scope and date range, by start; from today when no `from` is given.
pub async fn agenda(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let mut pairs = request::query_pairs(&req);
    pairs.retain(|(k, _)| k != "kind" && k != "sort");
    pairs.push(("kind".into(), "event".into()));
    pairs.push(("sort".into(), "date".into()));
    if !pairs.iter().any(|(k, _)| k == "from") {
        let today = platform::now() - platform::now().rem_euclid(86_400);
        pairs.push(("from".into(), domain::time::rfc3339(today)));
    }
    respond::outcome(answer(&req, &ctx.env, &pairs, AGENDA).await)
}
