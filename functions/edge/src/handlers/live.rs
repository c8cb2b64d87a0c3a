//! The live feed of a territory (JSON, or Atom at `/api/live.atom`), and short posts into it.

use crate::config::Config;
use crate::handlers::export::{answer as exported, format_of};
use crate::respond;
use crate::{platform, repo, request, session};
use domain::access::{self, Action};
use domain::error::ApiError;
use domain::export::{Format, LIVE, feed::atom};
use domain::live::{LivePage, LivePlan, PostInput};
use serde_json::json;
use worker::{Env, Request, Response, Result, RouteContext};

async fn page(req: &Request, env: &Env) -> std::result::Result<LivePage, ApiError> {
    let mut plan = LivePlan::from_query(&request::query_pairs(req))?;
    let rows = repo::live::feed(env, &mut plan).await?;
    Ok(plan.page(rows))
}

/// The feed in JSON (the front worker serves this one).
pub async fn feed_json(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(async { respond::json(&page(&req, &ctx.env).await?) }.await)
}

pub async fn feed(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let format = format_of(&req, LIVE)?;
            let page = page(&req, &ctx.env).await?;
            if format == Format::Json {
                return respond::json(&page);
            }
            let site = Config::from_env(&ctx.env).site_url;
            let mut names = Vec::new();
            for scope in &page_scopes(&req) {
                let row = repo::zones::by_id(&ctx.env, scope).await?;
                names.push(row.map_or_else(|| scope.clone(), |z| domain::place::label(&z)));
            }
            let title = domain::live::feed_title(&names);
            let self_url = req.inner().url();
            let body = atom(&page.items, &site, &self_url, &title, platform::now());
            exported(format, body)
        }
        .await,
    )
}

/// The zones a feed's query names.
fn page_scopes(req: &Request) -> Vec<String> {
    request::query_pairs(req)
        .into_iter()
        .filter(|(k, _)| k == "scope")
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

pub async fn post(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let (actor, person) = session::actor(&req, &ctx.env).await?;
            access::decide(actor, Action::PostNews, Default::default(), Default::default())?;
            let person = person
        .ok_or_else(|| domain::error::ApiError::new(domain::error::ErrorCode::NotSignedIn))?;
            let (zone, text) = request::json::<PostInput>(&mut req).await?.check()?;
            let now = platform::now();
            repo::limits::enforce(&ctx.env, &[(domain::limits::POSTS_PER_PERSON, &person.id)], now).await?;
            let id = format!("s_{}", &platform::token()[..22]);
            repo::live::post(&ctx.env, &id, &person.id, &zone.as_string(), &text, now).await?;
            respond::json_status(
                &json!({ "id": id, "scope": zone.as_string(), "text": text, "at": domain::time::rfc3339(now) }),
                201,
            )
        }
        .await,
    )
}
