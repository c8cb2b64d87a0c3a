//! Public counters, kept by triggers (see `tally` in schema.sql).

/// Every counter: `person`, `kind:<kind>`, `type:<type>`.
pub const ALL: &str = "SELECT key, n FROM tally WHERE n > 0";

pub fn all() -> crate::db::Query<domain::stats::TallyRow> {
    crate::db::Query::new(ALL, Vec::new())
}
