//! Turning results into responses: JSON bodies, the contract's error body, security headers.

use axum::body::Body;
use axum::response::IntoResponse;
use domain::error::{ApiError, ErrorCode};
use http::{HeaderName, HeaderValue, StatusCode, header};
use serde::Serialize;

pub type Response = http::Response<Body>;

const JSON: &str = "application/json; charset=utf-8";

/// An error on its way to becoming the contract's error body (`failure`).
#[derive(Debug)]
pub struct Failure(pub ApiError);

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        Failure(error)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        failure(&self.0)
    }
}

/// What a handler returns: a response, or the error to answer with.
pub type Outcome = Result<Response, Failure>;

/// A response with `status`, `body` and a Content-Type.
pub fn with_body(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    set(&mut response, header::CONTENT_TYPE, content_type);
    response
}

pub fn json<T: Serialize>(value: &T) -> Outcome {
    json_status(value, 200)
}

pub fn json_status<T: Serialize>(value: &T, status: u16) -> Outcome {
    let body = serde_json::to_string(value).map_err(|_| ApiError::new(ErrorCode::Internal))?;
    Ok(raw_json(body, status))
}

pub fn raw_json(body: impl Into<Body>, status: u16) -> Response {
    with_body(status, JSON, body)
}

/// A page. Public pages may be kept a minute by browsers and the edge.
pub fn html(body: String, status: u16) -> Outcome {
    let mut response = with_body(status, "text/html; charset=utf-8", body);
    set(&mut response, header::CACHE_CONTROL, "public, max-age=60");
    Ok(response)
}

pub fn no_content() -> Outcome {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}

/// `303 See Other` to a path of this site.
pub fn redirect(location: &str) -> Outcome {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SEE_OTHER;
    with_header(response, "Location", location)
}

/// Sets a header on a response (replacing any); a value that is not a valid header is an
/// internal error, never a panic.
pub fn with_header(mut response: Response, name: &str, value: &str) -> Outcome {
    let value = HeaderValue::from_str(value).map_err(|_| ApiError::new(ErrorCode::Internal))?;
    let name =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| ApiError::new(ErrorCode::Internal))?;
    response.headers_mut().insert(name, value);
    Ok(response)
}

/// Sets a header known to be valid (values written in this crate); an invalid one is left out.
pub fn set(response: &mut Response, name: HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

/// Sets the session cookies (`Some(token)`) or clears them (`None`).
pub fn with_session_cookies(mut response: Response, token: Option<&str>) -> Outcome {
    for cookie in domain::account::session_cookies(token) {
        let value =
            HeaderValue::from_str(&cookie).map_err(|_| ApiError::new(ErrorCode::Internal))?;
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// The contract's error body with its status (and `Retry-After` when the client should wait).
pub fn failure(error: &ApiError) -> Response {
    let body = serde_json::to_string(&error.body()).unwrap_or_default();
    let mut response = raw_json(body, error.status());
    if let Some(seconds) = error.retry_after {
        set(&mut response, header::RETRY_AFTER, &seconds.to_string());
    }
    response
}

/// Marks an answer a router does not give (`crate::router::reads`): another one will.
#[derive(Debug, Clone, Copy)]
pub struct Unrouted;

pub fn unrouted() -> Response {
    let mut response = failure(&ApiError::new(ErrorCode::NotFound));
    response.extensions_mut().insert(Unrouted);
    response
}

/// Whether `response` is `unrouted()`.
pub fn is_unrouted(response: &Response) -> bool {
    response.extensions().get::<Unrouted>().is_some()
}

/// Between the Workers back and front: the back names in this header the element page a write
/// made stale; the front (whose cache holds the page) forgets it and drops the header.
pub const STALE_PAGE: &str = "Communs-Stale-Page";

/// `response` made the page of the element `slug` stale.
pub fn stale_page(response: Response, slug: &str) -> Outcome {
    with_header(response, STALE_PAGE, slug)
}

/// Between the Workers back and front, as `STALE_PAGE`: the pictures a deletion removed (their
/// addresses, space-separated), which the front forgets from its cache.
pub const STALE_MEDIA: &str = "Communs-Stale-Media";

/// `response` removed these pictures' files.
pub fn stale_media(response: Response, files: &[String]) -> Outcome {
    if files.is_empty() {
        return Ok(response);
    }
    let urls: Vec<String> = files.iter().map(|f| domain::media::url(f)).collect();
    with_header(response, STALE_MEDIA, &urls.join(" "))
}
