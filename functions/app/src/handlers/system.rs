//! Health and the API's own description.

use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo};
use axum::extract::State;
use domain::health::Health;
use http::header;

pub async fn health(State(app): State<App>) -> Outcome {
    let version = repo::meta::schema_version(&app).await?;
    respond::json(&Health::ok(version))
}

/// The OpenAPI document this build answers to: development builds add their own routes.
#[cfg(not(feature = "dev"))]
pub const DOCUMENT: &str = domain::openapi::DOCUMENT;
#[cfg(feature = "dev")]
pub const DOCUMENT: &str = domain::openapi::DEVELOPMENT_DOCUMENT;

pub async fn openapi(_req: Req) -> Outcome {
    let mut response = respond::raw_json(DOCUMENT, 200);
    respond::set(&mut response, header::CACHE_CONTROL, "public, max-age=300");
    Ok(response)
}
