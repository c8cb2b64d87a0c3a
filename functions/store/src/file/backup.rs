//! `communs backup` and `communs restore`. A backup is a consistent copy taken while the server
//! may be writing: SQLite's online backup in one step, which reads one snapshot of the database
//! (the write-ahead log lets the server go on writing meanwhile), into a single self-contained
//! file, checked (`PRAGMA integrity_check`) before it takes its name. A restore checks the file
//! first (an SQLite database, sound, holding `schema_meta` at a version this binary knows), then
//! puts a copy of it in place at once (a temporary file renamed over the database, with the old
//! database's log removed so that it cannot be replayed over the new one), then migrates it.
//! It refuses while a server holds the database (`super::lock`).

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub path: PathBuf,
    pub bytes: u64,
    pub version: i64,
}

/// Copies the database at `db` into `to` (replacing a file there), checked.
pub fn backup(db: &Path, to: &Path) -> Result<Copied, String> {
    if !db.is_file() {
        return Err(format!("{}: no database there", db.display()));
    }
    if same_file(db, to) {
        return Err(format!(
            "{}: a backup cannot replace its own database",
            to.display()
        ));
    }
    let source = super::open_existing_for_reading(db)?;
    let partial = sibling(to, ".partial");
    copy(&source, &partial)?;
    let checked = Connection::open(&partial).map_err(|e| format!("{}: {e}", partial.display()));
    let verdict = checked.and_then(|copy| {
        let problems = super::check(&copy, "integrity_check")?;
        if !problems.is_empty() {
            return Err(format!("the copy is not sound: {}", problems.join("; ")));
        }
        super::version(&copy)?.ok_or_else(|| "the copy holds no schema_meta".to_string())
    });
    let version = match verdict {
        Ok(version) => version,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    put_in_place(&partial, to)?;
    let bytes = std::fs::metadata(to).map_or(0, |m| m.len());
    Ok(Copied {
        path: to.to_path_buf(),
        bytes,
        version,
    })
}

/// Replaces the database at `db` with the backup `from`, then migrates it.
pub fn restore(from: &Path, db: &Path) -> Result<super::Migrated, String> {
    let _lock = super::lock::acquire(db)?;
    if same_file(from, db) {
        return Err(format!("{}: this is the database itself", from.display()));
    }
    if !from.is_file() {
        return Err(format!("{}: no such file", from.display()));
    }
    let source = super::open_existing_for_reading(from)?;
    let what = |e: String| format!("{}: {e}", from.display());
    let problems = super::check(&source, "integrity_check").map_err(what)?;
    if !problems.is_empty() {
        return Err(what(format!("not sound: {}", problems.join("; "))));
    }
    let version = super::version(&source)
        .map_err(what)?
        .ok_or_else(|| what("not a Communs database (no schema_meta table)".into()))?;
    if version > crate::SCHEMA_VERSION {
        return Err(what(format!(
            "holds schema version {version}, newer than this binary's {}",
            crate::SCHEMA_VERSION
        )));
    }
    let partial = sibling(db, ".restore-partial");
    copy(&source, &partial)?;
    drop(source);
    put_in_place_of(&partial, db)?;
    let (_, migrated) = super::open_and_migrate(db)?;
    Ok(migrated)
}

/// The whole of `source` into a new file at `to`, as one snapshot, left in rollback-journal mode
/// (one self-contained file).
fn copy(source: &Connection, to: &Path) -> Result<(), String> {
    let fail = |e: rusqlite::Error| format!("{}: {e}", to.display());
    match std::fs::remove_file(to) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", to.display())),
    }
    let mut target = Connection::open(to).map_err(fail)?;
    {
        let backup = Backup::new(source, &mut target).map_err(fail)?;
        // Every page in one step: one read transaction on the source, so one snapshot, where
        // steps of a few pages would start over each time the server commits.
        let mut waits = 0;
        loop {
            match backup.step(-1).map_err(fail)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => {
                    waits += 1;
                    if waits > 200 {
                        return Err(format!("{}: the database stayed locked", to.display()));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => {}
            }
        }
    }
    let _: String = target
        .pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))
        .map_err(fail)?;
    target.close().map_err(|(_, e)| fail(e))?;
    Ok(())
}

/// Puts the new database `partial` in the place of the database at `db`. The old database's log
/// and index of it would be read as the new one's: they go first.
pub(super) fn put_in_place_of(partial: &Path, db: &Path) -> Result<(), String> {
    for stale in [sibling(db, "-wal"), sibling(db, "-shm")] {
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", stale.display())),
        }
    }
    put_in_place(partial, db)
}

/// Renames `partial` to `to` once its bytes are on the disk, then makes the rename durable.
fn put_in_place(partial: &Path, to: &Path) -> Result<(), String> {
    let io = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(partial, e))?;
    std::fs::rename(partial, to).map_err(|e| io(to, e))?;
    let folder = match to.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::File::open(&folder)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(&folder, e))
}

/// `path` with `suffix` added to its name: `communs.db-wal`.
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    const PER_COMMIT: i64 = 10;

    fn count(db: &Connection) -> i64 {
        db.query_row("SELECT count(*) FROM zone", [], |r| r.get(0))
            .unwrap()
    }

    /// Commits `PER_COMMIT` zones at a time, numbered from `from`.
    fn commit(db: &mut Connection, from: i64) {
        let tx = db.transaction().unwrap();
        for n in from..from + PER_COMMIT {
            tx.execute(
                "INSERT INTO zone (id, kind, code, name, name_key) VALUES (?1, 'commune', ?1, ?1, ?1)",
                [format!("z{n}")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }

    #[test]
    fn a_backup_taken_while_another_connection_writes_is_one_moment_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("communs.db");
        let (mut db, _) = crate::file::open_and_migrate(&path).unwrap();
        for round in 0..50 {
            commit(&mut db, round * PER_COMMIT);
        }
        let writing = Arc::new(AtomicBool::new(true));
        let writer = {
            let writing = Arc::clone(&writing);
            std::thread::spawn(move || {
                let mut next = 50 * PER_COMMIT;
                while writing.load(Ordering::Relaxed) {
                    commit(&mut db, next);
                    next += PER_COMMIT;
                }
                count(&db)
            })
        };
        std::thread::sleep(Duration::from_millis(20));
        let observer = crate::file::open_existing_for_reading(&path).unwrap();
        let before = count(&observer);
        let copied = backup(&path, &dir.path().join("copy.db")).unwrap();
        let after = count(&observer);
        writing.store(false, Ordering::Relaxed);
        let last = writer.join().unwrap();

        assert_eq!(copied.version, crate::SCHEMA_VERSION);
        assert!(copied.bytes > 0);
        let copy = Connection::open(&copied.path).unwrap();
        assert!(
            crate::file::check(&copy, "integrity_check")
                .unwrap()
                .is_empty()
        );
        let held = count(&copy);
        assert!(
            held >= before && held <= after,
            "{before} ≤ {held} ≤ {after}"
        );
        assert_eq!(held % PER_COMMIT, 0, "whole commits only: {held}");
        assert!(last > held, "the writer went on writing meanwhile");
        let mode: String = copy
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "a backup is one self-contained file");
    }

    #[test]
    fn a_restore_brings_back_what_the_backup_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("communs.db");
        let saved = dir.path().join("saved.db");
        let (mut db, _) = crate::file::open_and_migrate(&path).unwrap();
        commit(&mut db, 0);
        commit(&mut db, PER_COMMIT);
        backup(&path, &saved).unwrap();
        db.execute("DELETE FROM zone", []).unwrap();
        commit(&mut db, 1000);
        drop(db);

        let migrated = restore(&saved, &path).unwrap();
        assert_eq!(migrated.version, crate::SCHEMA_VERSION);
        assert_eq!(migrated.applied, 0);
        let db = crate::file::open_existing_for_reading(&path).unwrap();
        assert_eq!(count(&db), 2 * PER_COMMIT);
        let first: String = db
            .query_row("SELECT id FROM zone ORDER BY id LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(first, "z0");
    }

    #[test]
    fn a_restore_refuses_a_running_server_and_files_that_are_not_ours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("communs.db");
        let saved = dir.path().join("saved.db");
        let (_db, _) = crate::file::open_and_migrate(&path).unwrap();
        backup(&path, &saved).unwrap();

        let held = crate::file::lock::acquire(&path).unwrap();
        let refused = restore(&saved, &path).unwrap_err();
        assert!(refused.contains("in use"), "{refused}");
        drop(held);

        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "pas une base de données ".repeat(100)).unwrap();
        let refused = restore(&text, &path).unwrap_err();
        assert!(refused.contains("not a database"), "{refused}");

        let foreign = dir.path().join("foreign.db");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE notes (x)")
            .unwrap();
        let refused = restore(&foreign, &path).unwrap_err();
        assert!(refused.contains("no schema_meta"), "{refused}");

        let newer = dir.path().join("newer.db");
        std::fs::copy(&saved, &newer).unwrap();
        Connection::open(&newer)
            .unwrap()
            .execute_batch("UPDATE schema_meta SET version = 999")
            .unwrap();
        let refused = restore(&newer, &path).unwrap_err();
        assert!(refused.contains("newer than this binary"), "{refused}");
    }
}
