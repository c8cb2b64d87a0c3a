//! The way from the front worker to the back one. What the front does not serve goes through
//! the service binding `BACK` as it came: method, address, headers (cookies, Origin, the
//! client's address) and body; so the back sees what a direct request would show it.

//!
//! The back names in `STALE_PAGE` the element page a write made stale, and in `STALE_MEDIA` the
//! pictures a deletion removed. The cache is the front's (a Worker's cache is its own), so the
//! front forgets them and drops the headers.

use crate::page_cache;
use app::respond::{STALE_MEDIA, STALE_PAGE};
use worker::{Env, Request, Response, Result};

pub const BINDING: &str = "BACK";

/// The back's answer to `req`.
pub async fn forward(req: Request, env: &Env) -> Result<Response> {
    let site = domain::origin::origin_of(&req.inner().url());
    // As it came, but a redirect the back answers is the visitor's to follow, not the binding's.
    let init = web_sys::RequestInit::new();
    init.set_redirect(web_sys::RequestRedirect::Manual);
    let req = Request::from(web_sys::Request::new_with_request_and_init(
        req.inner(),
        &init,
    )?);
    let response = Response::try_from(env.service(BINDING)?.fetch_request(req).await?)?;
    // A fetched response's headers are immutable: the answer gets a copy, which the front may
    // complete (security headers, CORS) and where ours is dropped.
    let headers = response.headers().clone();
    if let Some(slug) = headers.get(STALE_PAGE)? {
        page_cache::forget(&site, &slug).await;
        headers.delete(STALE_PAGE)?;
    }
    if let Some(paths) = headers.get(STALE_MEDIA)? {
        for path in paths.split(' ') {
            let _ = worker::Cache::default()
                .delete(format!("{site}{path}"), true)
                .await;
        }
        headers.delete(STALE_MEDIA)?;
    }
    Ok(response.with_headers(headers))
}
