//! One module per area of the API. Each public handler parses, decides through the domain,
//! reads or writes through `repo`, and answers through `respond`.

pub mod auth;
pub mod elements;
pub mod export;
pub mod imports;
pub mod live;
pub mod me;
pub mod pages;
pub mod search;
pub mod stats;
pub mod system;
pub mod zones;
