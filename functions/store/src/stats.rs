//! Public counters, kept by triggers (see `tally` in schema.sql).

/// Every counter: `person`, `kind:<kind>`, `type:<type>`.
pub const ALL: &str = "SELECT key, n FROM tally WHERE n > 0";
