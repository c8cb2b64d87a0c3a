//! Host 1, Cloudflare Workers: only the adapters between workerd and the application (crate
//! `app`), which holds every route, rule and statement.
//!
//! It is built twice. As the back worker (wrangler.back.toml), it answers every route through
//! `app::router`, and runs the hourly cron. With the `front` feature, it is the front worker
//! (wrangler.toml, `front`), the one every visitor reaches: it answers the reads itself through
//! `app::reads`, small enough to start fast, and passes everything else to the back through a
//! service binding (`back`). Each build keeps only the code its routes reach.

pub mod back;
pub mod config;
pub mod host;
#[cfg(not(feature = "front"))]
pub mod media;
pub mod page_cache;
pub mod platform;

#[cfg(feature = "front")]
mod front;

#[cfg(not(feature = "front"))]
mod entry {
    use worker::{Context, Env, HttpRequest, Result, ScheduleContext, ScheduledEvent, event};

    #[event(fetch)]
    async fn fetch(req: HttpRequest, env: Env, _ctx: Context) -> Result<app::respond::Response> {
        let app = crate::host::app(&env)?;
        Ok(app::answer(app::router(app), req.map(app::Body::new)).await)
    }

    #[event(scheduled)]
    async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
        match crate::host::app(&env) {
            Ok(app) => app::scheduled::run(&app).await,
            Err(error) => worker::console_error!("scheduled run: {error}"),
        }
    }
}
