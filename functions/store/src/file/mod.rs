//! The database as one SQLite file, whoever holds it (the single binary, an operator's command):
//! opening it, bringing it to the schema of record with the rule of `scripts/migrate.sh` — a new
//! database gets `SCHEMA` whole, an existing one each step of `migrations` above the version it
//! holds, in order, each in its own transaction — and, in the submodules, one writer at a time
//! (`lock`), consistent copies (`backup`) and the way to and from D1 (`dump`, `load`).

pub mod backup;
pub mod dump;
pub mod load;
pub mod lock;
pub mod tables;

#[cfg(test)]
mod moving_tests;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// How long a statement waits for another connection's lock (another process: an import, a
/// backup) before it fails.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating it if needed) the database file for writing: write-ahead log (readers never
/// wait for the writer), `synchronous = NORMAL` (safe with the log: a power cut loses at most
/// the last commits, never the file), a busy timeout, and D1's rules (`crate::native::like_d1`).
pub fn open(path: &Path) -> Result<Connection, String> {
    let db = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    prepare(&db, path)?;
    let mode: String = db
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!(
            "{}: the write-ahead log could not be enabled (journal_mode = {mode})",
            path.display()
        ));
    }
    db.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(db)
}

/// Opens an existing database file without creating it, for reading only (`query_only`): the
/// doctor's and a restore's checks.
pub fn open_existing_for_reading(path: &Path) -> Result<Connection, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let db =
        Connection::open_with_flags(path, flags).map_err(|e| format!("{}: {e}", path.display()))?;
    prepare(&db, path)?;
    db.pragma_update(None, "query_only", true)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(db)
}

/// What every connection of the server gets: the busy timeout and D1's rules.
pub fn prepare(db: &Connection, path: &Path) -> Result<(), String> {
    db.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    crate::native::like_d1(db).map_err(|e| format!("{}: {e}", path.display()))
}

/// What a migration did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// The version the database holds now (`crate::SCHEMA_VERSION`).
    pub version: i64,
    /// Steps applied: 0 when it was already there; 1 for a new database (the schema whole).
    pub applied: usize,
    /// The database was new: it got `store::SCHEMA` whole.
    pub created: bool,
}

impl std::fmt::Display for Migrated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.created {
            true => write!(
                f,
                "schema version {} (new database: schema.sql applied)",
                self.version
            ),
            false => write!(
                f,
                "schema version {} ({} migration(s) applied)",
                self.version, self.applied
            ),
        }
    }
}

#[derive(serde::Deserialize)]
struct Count {
    n: i64,
}

#[derive(serde::Deserialize)]
struct Version {
    version: i64,
}

fn count(db: &Connection, sql: &str) -> Result<i64, String> {
    let rows: Vec<Count> = crate::native::rows(db, sql, &[])?;
    Ok(rows.first().map_or(0, |c| c.n))
}

/// The version the database holds; None when it holds no schema (no `schema_meta` table).
pub fn version(db: &Connection) -> Result<Option<i64>, String> {
    if count(db, crate::migrations::HAS_SCHEMA_META)? == 0 {
        return Ok(None);
    }
    let rows: Vec<Version> = crate::native::rows(db, crate::meta::SCHEMA_VERSION, &[])?;
    rows.first()
        .map(|v| Some(v.version))
        .ok_or_else(|| "schema_meta holds no version row".to_string())
}

/// Brings the database to `crate::SCHEMA_VERSION`. Each step runs in an immediate transaction
/// that reads the version again first, so two processes migrating at once apply each step once;
/// a step that fails leaves the database at the version before it.
pub fn migrate(db: &mut Connection) -> Result<Migrated, String> {
    let mut outcome = Migrated {
        version: 0,
        applied: 0,
        created: false,
    };
    {
        let tx = db
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        if version(&tx)?.is_none() {
            let tables = count(&tx, crate::migrations::TABLES)?;
            if tables > 0 {
                return Err(format!(
                    "the database holds {tables} table(s) but no schema_meta: it is not a \
                     Communs database (or was created by something else); refusing to touch it"
                ));
            }
            tx.execute_batch(crate::SCHEMA)
                .map_err(|e| format!("schema.sql: {e}"))?;
            tx.commit().map_err(|e| e.to_string())?;
            outcome.created = true;
            outcome.applied = 1;
        }
    }
    let held = version(db)?.unwrap_or(0);
    if held > crate::SCHEMA_VERSION {
        return Err(format!(
            "the database holds schema version {held}, newer than this binary's {}: run a \
             newer `communs`",
            crate::SCHEMA_VERSION
        ));
    }
    for step in crate::migrations::pending(held) {
        let tx = db
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        let now = version(&tx)?.unwrap_or(0);
        if now >= step.version {
            continue;
        }
        tx.execute_batch(step.sql).map_err(|e| {
            format!(
                "migration {} failed, the database stays at version {now}: {e}",
                step.name
            )
        })?;
        tx.commit().map_err(|e| e.to_string())?;
        outcome.applied += 1;
    }
    outcome.version = version(db)?.unwrap_or(0);
    if outcome.version != crate::SCHEMA_VERSION {
        return Err(format!(
            "after migrating, the database holds version {} where {} was expected",
            outcome.version,
            crate::SCHEMA_VERSION
        ));
    }
    Ok(outcome)
}

/// Opens the file (creating it) and migrates it: what `communs migrate` and `serve` do first.
pub fn open_and_migrate(path: &Path) -> Result<(Connection, Migrated), String> {
    let mut db = open(path)?;
    let migrated = migrate(&mut db).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((db, migrated))
}

/// `PRAGMA integrity_check` (or `quick_check`): the problems it lists, none when the file is
/// sound.
pub fn check(db: &Connection, pragma: &str) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    db.pragma_query(None, pragma, |row| {
        found.push(row.get::<_, String>(0)?);
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    Ok(found.into_iter().filter(|line| line != "ok").collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("communs.db");
        (dir, path)
    }

    #[test]
    fn an_empty_file_gets_the_schema_and_a_second_run_changes_nothing() {
        let (_dir, path) = file();
        let (db, first) = open_and_migrate(&path).unwrap();
        assert_eq!(first.version, crate::SCHEMA_VERSION);
        assert!(first.created);
        drop(db);
        let (db, second) = open_and_migrate(&path).unwrap();
        assert_eq!(
            second,
            Migrated {
                version: crate::SCHEMA_VERSION,
                applied: 0,
                created: false
            }
        );
        let mode: String = db
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert!(check(&db, "integrity_check").unwrap().is_empty());
    }

    #[test]
    fn a_database_at_the_current_version_is_left_alone() {
        let (_dir, path) = file();
        let (db, _) = open_and_migrate(&path).unwrap();
        db.execute_batch("CREATE TABLE kept_by_the_operator (x)")
            .unwrap();
        drop(db);
        let (db, again) = open_and_migrate(&path).unwrap();
        assert_eq!(again.applied, 0);
        let tables: i64 = db
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'kept_by_the_operator'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);
    }

    #[test]
    fn an_old_database_gets_each_step_above_its_version() {
        // tests/fixtures/schema-v6.sql is schema.sql as it stood at version 6.
        let old = include_str!("../../../../tests/fixtures/schema-v6.sql");
        let (_dir, path) = file();
        let db = Connection::open(&path).unwrap();
        db.execute_batch(old).unwrap();
        db.execute_batch(
            "INSERT INTO zone (id, kind, code, name, name_key) VALUES ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul');
             INSERT INTO element (id, slug, kind, name, tags, commune_code, departement, region, geohash, created_at, updated_at)
             VALUES ('kept', 'kept', 'organization', 'Jardin partagé', '[]', '97415', '974', '04', 'mk2e6uk7z', 1, 1);",
        )
        .unwrap();
        drop(db);
        let (db, migrated) = open_and_migrate(&path).unwrap();
        assert_eq!(migrated.version, crate::SCHEMA_VERSION);
        assert_eq!(migrated.applied as i64, crate::SCHEMA_VERSION - 6);
        assert!(!migrated.created);
        let name: String = db
            .query_row(
                "SELECT commune_name FROM element WHERE id = 'kept'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(name, "Saint-Paul");
    }

    #[test]
    fn a_foreign_database_or_a_newer_one_is_refused() {
        let (_dir, path) = file();
        let db = Connection::open(&path).unwrap();
        db.execute_batch("CREATE TABLE notes (x)").unwrap();
        drop(db);
        let error = open_and_migrate(&path).unwrap_err();
        assert!(error.contains("not a Communs database"), "{error}");

        let (_dir, path) = file();
        let (db, _) = open_and_migrate(&path).unwrap();
        db.execute_batch("UPDATE schema_meta SET version = 999")
            .unwrap();
        drop(db);
        let error = open_and_migrate(&path).unwrap_err();
        assert!(error.contains("newer than this binary"), "{error}");
    }
}
