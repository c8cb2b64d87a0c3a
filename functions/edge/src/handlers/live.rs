//! The live feed of a territory, and short posts into it.

use crate::respond;
use crate::{platform, repo, request, session};
use domain::access::{self, Action};
use domain::live::{LivePlan, PostInput};
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

pub async fn feed(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let plan = LivePlan::from_query(&request::query_pairs(&req))?;
            let rows = repo::live::feed(&ctx.env, &plan).await?;
            respond::json(&plan.page(rows))
        }
        .await,
    )
}

pub async fn post(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let (actor, person) = session::actor(&req, &ctx.env).await?;
            access::decide(actor, Action::PostNews, Default::default(), Default::default())?;
            let person = person.expect("decide lets only signed-in people through");
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
