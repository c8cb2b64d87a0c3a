//! Health and the API's own description.

use crate::{repo, respond};
use domain::health::Health;
use worker::{Request, Response, Result, RouteContext};

pub async fn health(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let version = repo::meta::schema_version(&ctx.env).await;
    respond::outcome(version.and_then(|v| respond::json(&Health::ok(v))))
}

/// The OpenAPI document this build answers to: development builds add their own routes.
#[cfg(not(feature = "dev"))]
pub const DOCUMENT: &str = domain::openapi::DOCUMENT;
#[cfg(feature = "dev")]
pub const DOCUMENT: &str = domain::openapi::DEVELOPMENT_DOCUMENT;

pub fn openapi(_req: Request, _ctx: RouteContext<()>) -> Result<Response> {
    let response = respond::raw_json(DOCUMENT, 200)?;
    response
        .headers()
        .set("Cache-Control", "public, max-age=300")?;
    response.headers().set("Access-Control-Allow-Origin", "*")?;
    Ok(response)
}
