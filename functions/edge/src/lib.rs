//! The Cloudflare Worker: a thin shell around the domain crate. It routes, parses, calls the
//! domain, reads and writes D1 through `repo`, and maps results to responses in `respond`.
//!
//! It is built twice. As the back worker (wrangler.back.toml), it serves the whole API and the
//! hourly run. With the `front` feature, it is the front worker (wrangler.toml, `front`), the
//! one every visitor reaches: it answers the reads itself, small enough to start fast, and
//! passes everything else to the back through a service binding (`back`). Each build keeps
//! only the code its routes reach.

pub mod back;
pub mod config;
pub mod handlers;
pub mod host;
pub mod page_cache;
pub mod platform;
pub mod repo;
pub mod request;
pub mod respond;
#[cfg(not(feature = "front"))]
pub mod routes;
pub mod serve;
pub mod session;

#[cfg(feature = "front")]
mod front;

#[cfg(not(feature = "front"))]
mod entry {
    use worker::{Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent, event};

    #[event(fetch)]
    async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
        crate::serve::serve(crate::routes::router(), req, env).await
    }

    #[event(scheduled)]
    async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
        crate::serve::scheduled(&env).await;
    }
}
