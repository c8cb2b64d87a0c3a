//! The front worker (built with the `front` feature), the one every visitor reaches. It answers
//! the reads that make up almost all traffic (searches, agenda, live feed, zones and elements in
//! JSON, an element's page) through the application's `answer_read`, and passes any other
//! request (writes, these reads in an export format, the pages of zones and lists) to the back
//! worker (this crate built without the feature: every route) through a service binding. Kept
//! small (≤ 300 KB gzip), it starts fast at the edge.

use crate::back;
use worker::{Context, Env, Request, Response, Result, event};
#[cfg(feature = "dev")]
use worker::{ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    // Writes go straight to the back.
    if !matches!(req.inner().method().as_str(), "GET" | "HEAD") {
        return back::forward(req, &env).await;
    }
    if req.path().starts_with(domain::media::PATH) {
        return picture(req, &env).await;
    }
    // A read has no body: keeping a copy for the back costs nothing.
    let spare = req.clone()?;
    let app = crate::host::app(&env)?;
    let http = worker::HttpRequest::try_from(req)?.map(app::Body::new);
    let response = app::answer_read(app, http).await;
    match app::respond::is_unrouted(&response) {
        true => back::forward(spare, &env).await,
        false => Response::try_from(response),
    }
}

/// A picture, from this data centre's cache: a picture's name never serves other bytes, so the
/// back (and R2) is asked once an hour per data centre. The visitor's browser keeps it a year;
/// this cache, an hour (`KEPT`), so that a deleted picture is gone everywhere within the hour —
/// here at once, where the deletion tells the front (`STALE_MEDIA`).
async fn picture(req: Request, env: &Env) -> Result<Response> {
    const KEPT: &str = "public, max-age=3600";
    let cache = worker::Cache::default();
    let key = format!(
        "{}{}",
        domain::origin::origin_of(&req.inner().url()),
        req.path()
    );
    if let Some(kept) = cache.get(key.as_str(), true).await? {
        let headers = kept.headers().clone();
        headers.set("Cache-Control", domain::media::CACHE_CONTROL)?;
        return Ok(kept.with_headers(headers));
    }
    let mut response = back::forward(req, env).await?;
    if response.status_code() == 200 {
        let copy = response.cloned()?;
        let headers = copy.headers().clone();
        headers.set("Cache-Control", KEPT)?;
        let _ = cache.put(key.as_str(), copy.with_headers(headers)).await;
    }
    Ok(response)
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
            worker::RequestInit::new().with_method(worker::Method::Post),
        )?;
        back::forward(req, &env).await
    };
    match run.await {
        Ok(response) if response.status_code() == 204 => {}
        Ok(response) => worker::console_error!("scheduled run: {}", response.status_code()),
        Err(error) => worker::console_error!("scheduled run: {error}"),
    }
}
