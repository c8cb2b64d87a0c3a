//! One module per area of the API. Each public handler parses, decides through the domain,
//! reads or writes through `repo`, and answers through `respond`.

pub mod amendments;
pub mod auth;
pub mod ballots;
pub mod comments;
pub mod cooperation_pages;
#[cfg(feature = "dev")]
pub mod dev;
#[cfg(feature = "dev")]
pub mod dev_checkout;
pub mod discussion_pages;
pub mod elements;
pub mod export;
pub mod features;
pub mod funding;
pub mod funding_pages;
pub mod imports;
pub mod ledger;
pub mod live;
pub mod me;
pub mod moderation;
pub mod notifications;
pub mod pages;
pub mod pictures;
pub mod pledges;
pub mod proposals;
pub mod resolutions;
pub mod search;
pub mod stats;
pub mod system;
pub mod webhook;
pub mod zones;
