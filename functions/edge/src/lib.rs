//! The Cloudflare Worker: a thin shell around the domain crate. It routes, parses, calls the
//! domain, reads and writes D1 through `repo`, and maps results to responses in `respond`.

mod config;
mod handlers;
mod mail;
mod platform;
mod repo;
mod request;
mod respond;
mod routes;
mod session;

use worker::{Context, Env, Request, Response, Result, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let response = routes::router().run(req, env).await;
    respond::finish(response)
}
