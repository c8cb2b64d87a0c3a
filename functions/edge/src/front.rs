//! The front worker (built with the `front` feature), the one every visitor reaches. It answers
//! the reads that make up almost all traffic (searches, agenda, live feed, zones, element and zone
//! pages) in JSON and HTML, and passes any other request, and these in an export format (CSV,
//! GeoJSON, iCalendar, Atom…), to the back worker (this crate built without the feature: the
//! whole API) through a service binding. Kept small, it starts fast at the edge.

use crate::back;
use crate::handlers::export::asks_json;
use crate::handlers::{elements, live, pages, search, stats, system, zones};
use worker::{Context, Env, Method, Request, Response, Result, RouteContext, Router, event};
#[cfg(feature = "dev")]
use worker::{ScheduleContext, ScheduledEvent};

/// A read served here in JSON, and by the back in the other formats it offers.
macro_rules! json_here {
    ($name:ident, $offered:expr, $json:path) => {
        async fn $name(req: Request, ctx: RouteContext<()>) -> Result<Response> {
            match asks_json(&req, $offered) {
                true => $json(req, ctx).await,
                false => back::forward(req, &ctx.env).await,
            }
        }
    };
}

json_here!(search, domain::export::DIRECTORY, search::search_json);
json_here!(agenda, domain::export::AGENDA, search::agenda_json);
json_here!(live, domain::export::LIVE, live::feed_json);
json_here!(element, domain::export::DIRECTORY, elements::show_json);

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    // Writes go straight to the back: the router would answer 405 where they share a path
    // with a read of ours.
    if !matches!(req.method(), Method::Get | Method::Head) || !crate::serve::known_method(&req) {
        return back::forward(req, &env).await;
    }
    crate::serve::serve(router(), req, env).await
}

/// The cron is the back's (wrangler.back.toml). Only a local `wrangler dev` sends the front a
/// scheduled event (`/cdn-cgi/local/scheduled`): a development build asks the back's development
/// route to run (addressed to this machine, as that route requires).
#[cfg(feature = "dev")]
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let run = async {
        let req = Request::new_with_init(
            "http://localhost/api/dev/scheduled",
            worker::RequestInit::new().with_method(Method::Post),
        )?;
        back::forward(req, &env).await
    };
    match run.await {
        Ok(response) if response.status_code() == 204 => {}
        Ok(response) => worker::console_error!("scheduled run: {}", response.status_code()),
        Err(error) => worker::console_error!("scheduled run: {error}"),
    }
}

fn router() -> Router<'static, ()> {
    let api = Router::new()
        .get_async("/api/health", system::health)
        .get_async("/api/stats", stats::stats)
        .get_async("/api/zones", zones::search)
        .get_async("/api/zones/at", zones::at_point)
        .get_async("/api/zones/:id", zones::show)
        .get_async("/api/search", search)
        .get_async("/api/search.json", search)
        .get_async("/api/agenda", agenda)
        .get_async("/api/agenda.json", agenda)
        .get_async("/api/live", live)
        .get_async("/api/live.json", live)
        .get_async("/api/elements/:id", element);
    pages::routes(api).or_else_any_method_async("/*rest", |req, ctx| async move {
        back::forward(req, &ctx.env).await
    })
}
