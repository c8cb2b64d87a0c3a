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
    let rows = repo::search::run(env, &plan).await?;
    let page = plan.page(rows);
    if format == Format::Json {
        return respond::json(&page);
    }
    let site = Config::from_env(env).site_url;
    let body = export::items(format, &page.items, &site, platform::now());
    let response = exported(format, body)?;
    match &page.next_cursor {
        // The next page of an export, as RFC 8288 links it.
        Some(cursor) => {
            let next = request::with_query(req, "cursor", cursor);
            respond::with_header(response, "Link", &format!("<{next}>; rel=\"next\""))
        }
        None => Ok(response),
    }
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
