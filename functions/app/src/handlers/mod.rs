//! One module per area of the API. Each public handler parses, decides through the domain,
//! reads or writes through `repo`, and answers through `respond`.

pub mod amendments;
pub mod ballots;
pub mod cooperation_pages;
pub mod elements;
pub mod export;
pub mod imports;
pub mod live;
pub mod moderation;
pub mod pages;
pub mod proposals;
pub mod resolutions;
pub mod search;
pub mod stats;
pub mod system;
pub mod zones;
