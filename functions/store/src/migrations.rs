//! The steps that bring an existing database to the schema of record (`migrations/NNNN_*.sql`),
//! carried inside the code for a host that migrates its own database (the single binary; the
//! Workers host applies the files with `scripts/migrate.sh`), and the statements that tell what a
//! database holds before it is migrated. The rule is the script's: a new database gets
//! `crate::SCHEMA` whole; an existing one gets each step above the version it holds, in order.

/// One file of `migrations/`: it brings a database to `version` and stamps `schema_meta` so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../../migrations/", $name)),
        }
    };
}

/// Every step, in order; the last brings a database to `crate::SCHEMA_VERSION`.
pub const MIGRATIONS: &[Migration] = &[
    migration!(2, "0002_funding.sql"),
    migration!(3, "0003_features.sql"),
    migration!(4, "0004_cooperation.sql"),
    migration!(5, "0005_vote_schedule.sql"),
    migration!(6, "0006_imports.sql"),
    migration!(7, "0007_search_indexes.sql"),
    migration!(8, "0008_search_keys_and_commune_names.sql"),
    migration!(9, "0009_search_prefixes.sql"),
    migration!(10, "0010_element_cells.sql"),
    migration!(11, "0011_payment_aliases.sql"),
    migration!(12, "0012_search_cells.sql"),
    migration!(13, "0013_kind_counts.sql"),
    migration!(14, "0014_territory.sql"),
    migration!(15, "0015_element_hours_and_sources.sql"),
    migration!(16, "0016_post_by_created.sql"),
    migration!(17, "0017_ledger_sealed_after_append.sql"),
    migration!(18, "0018_pictures_comments_notifications.sql"),
];

/// The steps a database at `version` still needs, in order.
pub fn pending(version: i64) -> impl Iterator<Item = &'static Migration> {
    MIGRATIONS.iter().filter(move |m| m.version > version)
}

/// Whether the database holds the meta table (`n` is 0 or 1): without it, a database is new
/// (no table at all) or not one of ours.
pub const HAS_SCHEMA_META: &str = "SELECT count(*) AS n FROM sqlite_master \
     WHERE type = 'table' AND name = 'schema_meta'";

/// How many tables the database holds: none in a file just created.
pub const TABLES: &str = "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb;

    #[test]
    fn the_embedded_steps_are_the_files_of_the_migrations_folder() {
        let files = testdb::migrations();
        assert_eq!(
            files.len(),
            MIGRATIONS.len(),
            "a file of migrations/ is missing from store::migrations::MIGRATIONS (or one too many)"
        );
        for ((number, name, text), step) in files.iter().zip(MIGRATIONS) {
            assert_eq!((*number, name.as_str()), (step.version, step.name));
            assert_eq!(text, step.sql, "{name}");
        }
        assert_eq!(
            MIGRATIONS.last().map(|m| m.version),
            Some(crate::SCHEMA_VERSION)
        );
    }

    #[test]
    fn pending_steps_are_those_above_the_version_held() {
        let versions = |held| pending(held).map(|m| m.version).collect::<Vec<_>>();
        assert_eq!(versions(15), vec![16, 17, 18]);
        assert!(versions(crate::SCHEMA_VERSION).is_empty());
        assert_eq!(versions(1).len(), MIGRATIONS.len());
    }

    #[test]
    fn a_new_file_holds_no_table_and_the_schema_holds_the_meta_table() {
        let count = |db: &rusqlite::Connection, sql| -> i64 {
            db.query_row(sql, [], |row| row.get(0)).unwrap()
        };
        let empty = rusqlite::Connection::open_in_memory().unwrap();
        assert_eq!(count(&empty, TABLES), 0);
        assert_eq!(count(&empty, HAS_SCHEMA_META), 0);
        let fresh = testdb::fresh();
        assert!(count(&fresh, TABLES) > 10);
        assert_eq!(count(&fresh, HAS_SCHEMA_META), 1);
    }
}
