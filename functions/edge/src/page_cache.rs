//! Element pages are rendered once and kept in the edge's cache until the element changes:
//! the cost of a pre-rendered page, and never stale, since every update and deletion forgets
//! the page (in the data centre that made the change; others expire within `MAX_AGE`).

use worker::{Cache, Response};

/// How long another data centre may show a page after a change.
pub const MAX_AGE: &str = "public, max-age=300";

/// One key per element page, whatever the trailing slash or query string.
pub fn key(site: &str, slug: &str) -> String {
    format!("{site}/e/{slug}/")
}

/// The cached page's HTML. (A cached response's headers are immutable: the caller builds a
/// fresh response around the body, so that the usual headers can be set.)
pub async fn get(key: &str) -> Option<String> {
    let mut cached = Cache::default().get(key, true).await.ok().flatten()?;
    cached.text().await.ok()
}

/// Keeps a copy of the page; a failure only costs a later render.
pub async fn put(key: &str, response: &mut Response) {
    let Ok(copy) = response.cloned() else { return };
    if let Err(error) = Cache::default().put(key, copy).await {
        worker::console_warn!("page cache: {error}");
    }
}

pub async fn forget(site: &str, slug: &str) {
    let _ = Cache::default().delete(key(site, slug), true).await;
}
