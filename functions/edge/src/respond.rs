//! Turning results into responses: JSON bodies, the contract's error body, security headers.

use domain::error::{ApiError, ErrorCode};
use serde::Serialize;
use worker::{Headers, Response, Result};

const JSON: &str = "application/json; charset=utf-8";

pub fn json<T: Serialize>(value: &T) -> Result<Response> {
    let body = serde_json::to_string(value)?;
    raw_json(&body)
}

pub fn raw_json(body: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", JSON)?;
    Ok(Response::ok(body)?.with_headers(headers))
}

pub fn error(code: ErrorCode) -> Result<Response> {
    failure(ApiError::new(code))
}

pub fn failure(error: ApiError) -> Result<Response> {
    let body = serde_json::to_string(&error.body())?;
    let headers = Headers::new();
    headers.set("Content-Type", JSON)?;
    Ok(Response::ok(body)?
        .with_status(error.status())
        .with_headers(headers))
}

/// Every response leaves through here: the router's own plain-text 405 becomes the contract's
/// error body, an unexpected failure becomes a logged 500, and the security headers are set.
pub fn finish(result: Result<Response>) -> Result<Response> {
    let response = match result {
        Ok(response) if response.status_code() == 405 => error(ErrorCode::MethodNotAllowed)?,
        Ok(response) => response,
        Err(cause) => {
            worker::console_error!("unhandled: {cause}");
            error(ErrorCode::Internal)?
        }
    };
    let headers = response.headers();
    for (name, value) in domain::security::HEADERS {
        headers.set(name, value)?;
    }
    // Only responses that chose a cache policy are cached; everything else is fresh per request.
    if !headers.has("Cache-Control")? {
        headers.set("Cache-Control", "no-store")?;
    }
    Ok(response)
}
