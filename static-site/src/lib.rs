//! The site's pages: askama templates and their view models. The static generator renders them
//! into `dist/`; the edge renders the same structs for pages it builds on demand.

pub mod cooperation;
pub mod directory;
pub mod discussion;
pub mod funding;
pub mod labels;
pub mod nav;
pub mod pages;
pub mod query;
#[cfg(feature = "snapshot")]
pub mod snapshot;

/// A page ready to be written: where it lives and its HTML.
pub struct Rendered {
    /// The file under `dist/`, e.g. `index.html` or `donnees/index.html`.
    pub file: String,
    pub html: String,
}
