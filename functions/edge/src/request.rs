//! Reading requests: JSON bodies with clear errors, the site's origin, the client, the CSRF guard.

use domain::error::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use worker::Request;

/// Bodies larger than this are refused before parsing.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The body's bytes: 413 past `max` bytes, declared or sent.
async fn bytes(req: &mut Request, max: usize) -> Result<Vec<u8>, ApiError> {
    let declared: usize = header(req, "Content-Length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if declared > max {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge));
    }
    let body = req
        .bytes()
        .await
        .map_err(|_| ApiError::new(ErrorCode::BadRequest))?;
    if body.len() > max {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge));
    }
    Ok(body)
}

/// The body as text (a file to import, a page's form): 413 past `max` bytes, 400 when it is
/// not UTF-8 (never decoded into replacement characters).
pub async fn file(req: &mut Request, max: usize) -> Result<String, ApiError> {
    String::from_utf8(bytes(req, max).await?).map_err(|_| ApiError::new(ErrorCode::BadRequest))
}

/// Parses a JSON body: 415 for another type, 413 when too large, 400 naming the faulty field.
pub async fn json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    let content_type = header(req, "Content-Type").unwrap_or_default();
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType));
    }
    let body = String::from_utf8(bytes(req, MAX_BODY_BYTES).await?)
        .map_err(|_| ApiError::new(ErrorCode::InvalidJson))?;
    domain::body::parse(&body)
}

pub fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// `scheme://host:port` the request was addressed to. (Never `req.url()`: parsing with the
/// `url` crate pulls its IDNA tables into the worker.)
pub fn site_origin(req: &Request) -> String {
    domain::origin::origin_of(&req.inner().url())
}

/// Every pair of the query string, decoded, repeated keys included.
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    let url = req.inner().url();
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or_default();
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The request's address with `name` set to `value` in its query (others kept), e.g. the next
/// page of a list.
pub fn with_query(req: &Request, name: &str, value: &str) -> String {
    let url = req.inner().url();
    let base = url.split(['?', '#']).next().unwrap_or_default();
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in query_pairs(req).iter().filter(|(k, _)| k != name) {
        query.append_pair(k, v);
    }
    query.append_pair(name, value);
    format!("{base}?{}", query.finish())
}

/// The query string's value for `name`, decoded. An empty value, or one of spaces only, is no
/// value (`?limit=`, a form's blank field), as the OpenAPI document says.
pub fn query(req: &Request, name: &str) -> Option<String> {
    query_pairs(req)
        .into_iter()
        .find(|(key, value)| key == name && !value.trim().is_empty())
        .map(|(_, value)| value)
}

/// Who is asking, for the abuse limits: the client's address from the source this deployment
/// trusts (`CLIENT_ADDRESS`), or one shared bucket.
pub fn client(req: &Request, env: &worker::Env) -> String {
    crate::config::from_env(env)
        .client_address
        .key(|name| header(req, name))
}

/// The session token from the cookie, if any.
pub fn session_token(req: &Request) -> Option<String> {
    let cookies = header(req, "Cookie")?;
    domain::account::session_from_cookies(&cookies).map(str::to_string)
}

/// Every write passes through here first (see `domain::origin`).
pub fn check_write(req: &Request) -> Result<(), ApiError> {
    domain::origin::check_write(
        &site_origin(req),
        header(req, "Origin").as_deref(),
        header(req, "Referer").as_deref(),
        session_token(req).is_some(),
    )
}
