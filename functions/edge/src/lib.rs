//! The shell the two workers share: it routes, parses, calls the domain, reads and writes D1
//! through `repo`, and maps results to responses in `respond`.
//!
//! Two workers are built on it, so that the one every visitor reaches stays small:
//! `functions/front` serves the reads (search, agenda, live feed, zones, element and zone pages)
//! and passes everything else to `functions/back` through a service binding (`back`).

pub mod back;
pub mod config;
pub mod handlers;
pub mod mail;
pub mod page_cache;
pub mod payments;
pub mod platform;
pub mod repo;
pub mod request;
pub mod respond;
pub mod serve;
pub mod session;
pub mod settle;
