//! `GET /api/search` and `GET /api/agenda`: one plan, one statement.

use crate::respond::{self, Outcome};
use crate::{platform, repo, request};
use domain::search::Plan;
use worker::{Env, Request, Response, Result, RouteContext};

async fn answer(env: &Env, pairs: &[(String, String)]) -> Outcome {
    let plan = Plan::from_query(pairs)?;
    let rows = repo::search::run(env, &plan).await?;
    respond::json(&plan.page(rows))
}

pub async fn search(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(answer(&ctx.env, &request::query_pairs(&req)).await)
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
    respond::outcome(answer(&ctx.env, &pairs).await)
}
