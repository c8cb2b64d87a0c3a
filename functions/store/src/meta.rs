//! Facts about the database itself.

/// The version of the schema the database holds.
pub const SCHEMA_VERSION: &str = "SELECT version FROM schema_meta WHERE id = 1";

/// The version a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct Version {
    pub version: i64,
}

pub fn schema_version() -> crate::db::Query<Version> {
    crate::db::Query::new(SCHEMA_VERSION, Vec::new())
}

#[cfg(test)]
mod tests {
    use crate::testdb;

    #[test]
    fn a_fresh_database_holds_the_version_the_code_expects() {
        let db = testdb::fresh();
        let version: i64 = db
            .query_row(super::SCHEMA_VERSION, [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, crate::SCHEMA_VERSION);
    }

    #[test]
    fn the_meta_table_holds_a_single_row() {
        let db = testdb::fresh();
        let second = db.execute("INSERT INTO schema_meta (id, version) VALUES (2, 1)", []);
        assert!(second.is_err(), "a second meta row must be refused");
    }
}
