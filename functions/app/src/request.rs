//! Reading requests: the path's parameters, the query, headers, JSON bodies with clear errors,
//! the site's origin, the client, the CSRF guard. `Req` is what every handler receives.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams};
use domain::error::{ApiError, ErrorCode};
use http::request::Parts;
use serde::de::DeserializeOwned;

/// Bodies larger than this are refused before parsing.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request as a handler reads it: its head, its path's parameters and its unread body.
pub struct Req {
    pub parts: Parts,
    params: Vec<(String, String)>,
    /// Behind a lock so that a handler may hold `&Req` across an await (`Body` is not `Sync`).
    body: std::sync::Mutex<Option<Body>>,
}

impl<S: Send + Sync> FromRequest<S> for Req {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: http::Request<Body>, state: &S) -> Result<Req, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let params = match RawPathParams::from_request_parts(&mut parts, state).await {
            Ok(raw) => raw
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            Err(_) => Vec::new(),
        };
        Ok(Req {
            parts,
            params,
            body: std::sync::Mutex::new(Some(body)),
        })
    }
}

impl Req {
    /// A request built by hand (tests, a host's own calls).
    pub fn new(req: http::Request<Body>, params: Vec<(String, String)>) -> Req {
        let (parts, body) = req.into_parts();
        Req {
            parts,
            params,
            body: std::sync::Mutex::new(Some(body)),
        }
    }

    /// The path parameter `name` (`/api/zones/{id}`), decoded; empty when absent.
    pub fn param(&self, name: &str) -> String {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn path(&self) -> &str {
        self.parts.uri.path()
    }

    /// A header's value. One that is not visible ASCII is read as it came (lossily), never as
    /// absent: the checks that follow refuse it rather than skip it.
    pub fn header(&self, name: &str) -> Option<String> {
        let value = self.parts.headers.get(name)?;
        Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
    }

    /// The address as the client wrote it: the host's own when the request line is a path.
    pub fn url(&self) -> String {
        let uri = &self.parts.uri;
        if uri.scheme().is_some() {
            return uri.to_string();
        }
        let host = self.header("Host").unwrap_or_else(|| "localhost".into());
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        format!("http://{host}{path}")
    }

    /// `scheme://host:port` the request was addressed to.
    pub fn site_origin(&self) -> String {
        domain::origin::origin_of(&self.url())
    }

    /// Every pair of the query string, decoded, repeated keys included.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self.parts.uri.query().unwrap_or_default();
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The query string's value for `name`, decoded. An empty value, or one of spaces only, is
    /// no value (`?limit=`, a form's blank field), as the OpenAPI document says.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(key, value)| key == name && !value.trim().is_empty())
            .map(|(_, value)| value)
    }

    /// The request's address with `name` set to `value` in its query (others kept), e.g. the
    /// next page of a list.
    pub fn with_query(&self, name: &str, value: &str) -> String {
        let url = self.url();
        let base = url.split(['?', '#']).next().unwrap_or_default();
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.query_pairs().iter().filter(|(k, _)| k != name) {
            query.append_pair(k, v);
        }
        query.append_pair(name, value);
        format!("{base}?{}", query.finish())
    }

    /// The body's bytes: 413 past `max` bytes, declared or sent.
    pub async fn bytes(&mut self, max: usize) -> Result<Vec<u8>, ApiError> {
        let declared: usize = self
            .header("Content-Length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if declared > max {
            return Err(ApiError::new(ErrorCode::PayloadTooLarge));
        }
        let body = self
            .body
            .get_mut()
            .ok()
            .and_then(Option::take)
            .unwrap_or_default();
        match axum::body::to_bytes(body, max).await {
            Ok(bytes) => Ok(bytes.to_vec()),
            Err(error) if is_too_large(&error) => Err(ApiError::new(ErrorCode::PayloadTooLarge)),
            Err(_) => Err(ApiError::new(ErrorCode::BadRequest)),
        }
    }

    /// The body as text (a file to import, a page's form): 413 past `max` bytes, 400 when it
    /// is not UTF-8 (never decoded into replacement characters).
    pub async fn file(&mut self, max: usize) -> Result<String, ApiError> {
        String::from_utf8(self.bytes(max).await?).map_err(|_| ApiError::new(ErrorCode::BadRequest))
    }

    /// Parses a JSON body: 415 for another type, 413 when too large, 400 naming the faulty field.
    pub async fn json<T: DeserializeOwned>(&mut self) -> Result<T, ApiError> {
        let content_type = self.header("Content-Type").unwrap_or_default();
        if !content_type
            .to_ascii_lowercase()
            .starts_with("application/json")
        {
            return Err(ApiError::new(ErrorCode::UnsupportedMediaType));
        }
        let body = String::from_utf8(self.bytes(MAX_BODY_BYTES).await?)
            .map_err(|_| ApiError::new(ErrorCode::InvalidJson))?;
        domain::body::parse(&body)
    }

    /// Who is asking, for the abuse limits: the client's address from the source this
    /// deployment trusts (`CLIENT_ADDRESS`), or one shared bucket.
    pub fn client(&self, app: &crate::App) -> String {
        app.config.client_address.key(|name| self.header(name))
    }

    /// The session token from the cookie, if any.
    pub fn session_token(&self) -> Option<String> {
        let cookies = self.header("Cookie")?;
        domain::account::session_from_cookies(&cookies).map(str::to_string)
    }

    /// Every write passes through here first (see `domain::origin`).
    pub fn check_write(&self) -> Result<(), ApiError> {
        domain::origin::check_write(
            &self.site_origin(),
            self.header("Origin").as_deref(),
            self.header("Referer").as_deref(),
            self.session_token().is_some(),
        )
    }
}

/// Whether reading the body stopped at its limit (axum's `LengthLimitError`, somewhere in the
/// error's sources).
fn is_too_large(error: &axum::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        if e.to_string().contains("length limit") {
            return true;
        }
        source = e.source();
    }
    false
}
