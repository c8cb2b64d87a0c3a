//! The application, written once for both hosts: the router and its handlers, over ports a host
//! plugs in (`ports`). A handler parses the request (`request`), decides through the domain,
//! reads and writes through `repo` (the store's statements on the `Database` port) and answers
//! through `respond`. The Workers host (`edge`) and the single binary (`communs`) only build an
//! `App` from their runtime and pass it requests.

pub mod config;
#[cfg(feature = "dev")]
pub mod development;
pub mod handlers;
pub mod log;
pub mod mail;
pub mod payments;
pub mod ports;
pub mod repo;
pub mod request;
pub mod respond;
pub mod router;
pub mod scheduled;
pub mod session;
pub mod settle;

pub use axum::body::Body;
pub use ports::App;
pub use router::{answer, answer_read, router};

#[cfg(test)]
mod tests;
