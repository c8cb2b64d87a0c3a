//! Turning results into responses: JSON bodies, the contract's error body, security headers.

use domain::error::{ApiError, ErrorCode};
use serde::Serialize;
use worker::{Headers, Response, Result};

const JSON: &str = "application/json; charset=utf-8";

/// What a handler returns: a response, or the error to answer with.
pub type Outcome = std::result::Result<Response, ApiError>;

pub fn json<T: Serialize>(value: &T) -> Outcome {
    json_status(value, 200)
}

pub fn json_status<T: Serialize>(value: &T, status: u16) -> Outcome {
    let body = serde_json::to_string(value).map_err(|_| ApiError::new(ErrorCode::Internal))?;
    raw_json(&body, status).map_err(internal)
}

pub fn raw_json(body: &str, status: u16) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", JSON)?;
    Ok(Response::ok(body)?
        .with_status(status)
        .with_headers(headers))
}

/// A page. Public pages may be kept a minute by browsers and the edge.
pub fn html(body: String, status: u16) -> Outcome {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(internal);
    set("Content-Type", "text/html; charset=utf-8")?;
    set("Cache-Control", "public, max-age=60")?;
    Ok(Response::ok(body)
        .map_err(internal)?
        .with_status(status)
        .with_headers(headers))
}

pub fn no_content() -> Outcome {
    Response::empty()
        .map(|r| r.with_status(204))
        .map_err(internal)
}

/// `303 See Other` to a path of this site.
pub fn redirect(location: &str) -> Outcome {
    let response = Response::empty().map_err(internal)?.with_status(303);
    with_header(response, "Location", location)
}

/// Adds a header to a response built by this module.
pub fn with_header(response: Response, name: &str, value: &str) -> Outcome {
    response.headers().set(name, value).map_err(internal)?;
    Ok(response)
}

/// Sets the session cookies (`Some(token)`) or clears them (`None`).
pub fn with_session_cookies(response: Response, token: Option<&str>) -> Outcome {
    for cookie in domain::account::session_cookies(token) {
        response
            .headers()
            .append("Set-Cookie", &cookie)
            .map_err(internal)?;
    }
    Ok(response)
}

/// The router's handlers all end here: the outcome becomes a response.
pub fn outcome(result: Outcome) -> Result<Response> {
    match result {
        Ok(response) => Ok(response),
        Err(error) => failure(&error),
    }
}

pub fn failure(error: &ApiError) -> Result<Response> {
    let response = raw_json(&serde_json::to_string(&error.body())?, error.status())?;
    if let Some(seconds) = error.retry_after {
        response
            .headers()
            .set("Retry-After", &seconds.to_string())?;
    }
    Ok(response)
}

pub fn internal(cause: worker::Error) -> ApiError {
    worker::console_error!("response: {cause}");
    ApiError::new(ErrorCode::Internal)
}

/// Every response leaves through here: the router's own plain-text 405 becomes the contract's
/// error body, an unexpected failure becomes a logged 500, and the security headers are set.
pub fn finish(result: Result<Response>) -> Result<Response> {
    let response = match result {
        // The router's bare 405 (no Content-Type) gets the contract's body; one of ours, or the
        // back's passed on by the front, is kept with its `Allow`.
        Ok(response)
            if response.status_code() == 405 && !response.headers().has("Content-Type")? =>
        {
            failure(&ApiError::new(ErrorCode::MethodNotAllowed))?
        }
        Ok(response) => response,
        Err(cause) => {
            worker::console_error!("unhandled: {cause}");
            failure(&ApiError::new(ErrorCode::Internal))?
        }
    };
    let headers = response.headers();
    for (name, value) in domain::security::HEADERS {
        // A page may have chosen its own policy (the embeddable map may be framed).
        if name == "Content-Security-Policy" && headers.has(name)? {
            continue;
        }
        headers.set(name, value)?;
    }
    // Only responses that chose a cache policy are cached; everything else is fresh per request.
    if !headers.has("Cache-Control")? {
        headers.set("Cache-Control", "no-store")?;
    }
    Ok(response)
}
