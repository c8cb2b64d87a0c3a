//! One module per area of the API. Each public handler parses, decides through the domain,
//! reads or writes through `repo`, and answers through `respond`.

pub mod auth;
#[cfg(feature = "dev")]
pub mod dev;
#[cfg(feature = "dev")]
pub mod dev_checkout;
pub mod export;
pub mod features;
pub mod funding;
pub mod funding_pages;
pub mod ledger;
pub mod me;
pub mod pages;
pub mod pledges;
