//! Element pages are rendered once and kept in the edge's cache until the element changes
//! (`app::ports::PageCache`, kept by `crate::host`): the cost of a pre-rendered page, and never
//! stale, since every update and deletion forgets the page (in the data centre that made the
//! change; others expire within `MAX_AGE`).

pub use app::ports::page_cache::{MAX_AGE, key};
use worker::Cache;

pub async fn forget(site: &str, slug: &str) {
    let _ = Cache::default().delete(key(site, slug), true).await;
}
