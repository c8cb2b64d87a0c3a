//! What both workers do around their routers: HEAD as GET, the French 404 page, the security
//! headers, open reads for other sites; and the hourly run.

use crate::{handlers, platform, respond};
use domain::error::{ApiError, ErrorCode};
use worker::{Env, Request, Response, Result, Router};

/// Whether the request's method is one the API knows. workers-rs reads any other (`QUERY`,
/// `FOO`) as GET, so it is told apart from the raw request first.
pub fn known_method(req: &Request) -> bool {
    matches!(
        req.inner().method().as_str(),
        "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS"
    )
}

/// Answers `req` with `router`; a method the API does not know gets 405 and `Allow`.
pub async fn serve(router: Router<'static, ()>, req: Request, env: Env) -> Result<Response> {
    if !known_method(&req) {
        let path = req.path();
        let response = respond::finish(respond::failure(&ApiError::new(
            ErrorCode::MethodNotAllowed,
        )))?;
        allow(&response, &path)?;
        return Ok(response);
    }
    // HEAD is answered as GET without the body (RFC 9110), as the static files are.
    let head = req.method() == worker::Method::Head;
    let req = if head { as_get(&req)? } else { req };
    let open_read = req.method() == worker::Method::Get && req.path().starts_with("/api/");
    let path = req.path();
    let response = match router.run(req, env).await {
        // No route and no static file for this path: the router's bare 404 (every answer of
        // ours names its Content-Type) becomes the site's French page.
        Ok(r) if r.status_code() == 404 && !r.headers().has("Content-Type").unwrap_or(true) => {
            handlers::pages::missing()
        }
        other => other,
    };
    let response = respond::finish(response)?;
    if response.status_code() == 405 {
        allow(&response, &path)?;
    }
    if open_read {
        // Open data: any site may read the API (never with the reader's cookies: no credentials).
        let headers = response.headers();
        headers.set("Access-Control-Allow-Origin", "*")?;
        headers.set("Access-Control-Expose-Headers", "Link")?;
    }
    if head {
        let headers = response.headers().clone();
        return Ok(Response::empty()?
            .with_status(response.status_code())
            .with_headers(headers));
    }
    Ok(response)
}

/// A 405 names the methods the path answers (RFC 9110), from the OpenAPI document. Only the
/// back answers 405 (the front passes every write on), so only it carries the document.
#[cfg(not(feature = "front"))]
fn allow(response: &Response, path: &str) -> Result<()> {
    if let Some(methods) = domain::openapi::allowed(app::handlers::system::DOCUMENT, path) {
        response.headers().set("Allow", &methods)?;
    }
    Ok(())
}

#[cfg(feature = "front")]
fn allow(_response: &Response, _path: &str) -> Result<()> {
    Ok(())
}

/// The same request as a GET (same address and headers, no body).
fn as_get(req: &Request) -> Result<Request> {
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Get)
        .with_headers(req.headers().clone());
    // The address as text: `Request::url` would parse it with the `url` crate, whose IDNA
    // tables cost the worker ~65 KB gzip.
    Request::new_with_init(&req.inner().url(), &init)
}

/// The hourly run (cron in wrangler.back.toml): features past their deadline expire and
/// release their pledges, due charges are made or tried again, finished votes close with their
/// resolution, and expired sign-ins, sessions and old rate windows are dropped.
pub async fn scheduled(env: &Env) {
    let now = platform::now();
    let funding = match crate::host::application(env) {
        Ok(app) => app::settle::scheduled(&app).await,
        Err(error) => Err(error),
    };
    if let Err(error) = funding {
        worker::console_error!("scheduled funding run failed: {}", error.code.code());
    }
    if let Err(error) = close_votes(env).await {
        worker::console_error!("scheduled closing of votes failed: {}", error.code.code());
    }
    let purged = match crate::host::application(env) {
        Ok(app) => app::repo::accounts::purge_expired(&app, now, now - 24 * 3600).await,
        Err(error) => Err(error),
    };
    if let Err(error) = purged {
        worker::console_error!("scheduled clean-up failed: {}", error.code.code());
    }
}

/// The application's closing of finished votes (`app::handlers::proposals::scheduled`), on
/// this run's bindings.
async fn close_votes(env: &Env) -> std::result::Result<(), ApiError> {
    let app = crate::host::app(env).map_err(|error| {
        worker::console_error!("scheduled closing of votes: {error}");
        ApiError::new(ErrorCode::Unavailable)
    })?;
    app::handlers::proposals::scheduled(&app).await
}
