//! One module per area of the API. Each public handler parses, decides through the domain,
//! reads or writes through `repo`, and answers through `respond`.

pub mod cooperation_pages;
#[cfg(feature = "dev")]
pub mod dev;
pub mod export;
pub mod pages;
pub mod proposals;
pub mod resolutions;
