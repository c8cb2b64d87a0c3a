//! Every SQL statement of the product lives here, as constants the edge binds to D1 and the native
//! tests run against SQLite with the schema of record applied.

pub mod accounts;
pub mod comments;
pub mod cooperation;
pub mod db;
pub mod elements;
pub mod features;
#[cfg(feature = "sqlite")]
pub mod file;
pub mod funding;
pub mod imports;
pub mod limits;
pub mod live;
pub mod media;
pub mod meta;
pub mod migrations;
#[cfg(any(test, feature = "sqlite"))]
pub mod native;
pub mod notifications;
pub mod outbox;
pub mod search;
pub mod stats;
pub mod zones;

/// The schema of record, applied whole to a fresh database.
pub const SCHEMA: &str = include_str!("../../../schema.sql");

/// The schema version this code expects; `schema.sql` and the last migration set the same number.
pub const SCHEMA_VERSION: i64 = 18;

/// Whether a database error is SQLite refusing a statement for a broken constraint (UNIQUE,
/// PRIMARY KEY, CHECK, NOT NULL, FOREIGN KEY): what two requests racing to the same unique value
/// meet, told apart from the database failing. SQLite words them all « … constraint failed »;
/// D1 passes its message on and adds `SQLITE_CONSTRAINT`.
pub fn broke_a_constraint(message: &str) -> bool {
    message.contains("constraint failed") || message.contains("SQLITE_CONSTRAINT")
}

#[cfg(test)]
pub(crate) mod testdb;

#[cfg(test)]
mod tests;
