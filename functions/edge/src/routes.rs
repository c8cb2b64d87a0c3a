//! The API's routes. Each handler parses, calls the domain and the repository, and responds.

use crate::{repo, respond};
use domain::error::ErrorCode;
use domain::health::Health;
use worker::{Request, Response, Result, RouteContext, Router};

pub fn router() -> Router<'static, ()> {
    Router::new()
        .get_async("/api/health", health)
        .get("/api/openapi.json", openapi)
        .or_else_any_method("/api/*rest", |_, _| respond::error(ErrorCode::NotFound))
}

async fn health(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    match repo::schema_version(&ctx.env).await {
        Ok(version) => respond::json(&Health::ok(version)),
        Err(error) => respond::failure(error),
    }
}

fn openapi(_req: Request, _ctx: RouteContext<()>) -> Result<Response> {
    respond::raw_json(domain::openapi::DOCUMENT)
}
