//! Loading generated statements straight into a SQLite file — a local D1 that no server holds
//! open (`make dev` loads before it serves) — in one transaction, with progress: the zones, the
//! town halls or a million benchmark elements take seconds to a couple of minutes, where
//! `wrangler d1 execute` needs a process and an import a file.

use std::path::Path;

/// A local D1 file opened for a large load.
pub fn open(db: &Path) -> Result<rusqlite::Connection, String> {
    let fail = |e: rusqlite::Error| format!("{}: {e}", db.display());
    let conn = rusqlite::Connection::open(db).map_err(fail)?;
    // As D1 does: deleting an element takes its tags with it.
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(fail)?;
    // Twelve indexes and two full-text indexes take rows in scattered order: with SQLite's
    // default 2 MB of cache, most inserts read and write a page of the file (327 s for a million
    // elements); 512 MB keeps them in memory until the commit.
    conn.pragma_update(None, "cache_size", -512 * 1024)
        .map_err(fail)?;
    Ok(conn)
}

/// Runs `before` (a statement clearing what is loaded again, if any) then `statements`, in one
/// transaction, printing progress as `label: N% …`.
pub fn run(
    db: &Path,
    before: Option<&str>,
    statements: &[String],
    label: &str,
) -> Result<(), String> {
    let fail = |e: rusqlite::Error| format!("{}: {e}", db.display());
    let mut conn = open(db)?;
    let tx = conn.transaction().map_err(fail)?;
    if let Some(before) = before {
        let removed = tx.execute(before, []).map_err(fail)?;
        eprintln!("{label}: {removed} rows of an earlier load removed");
    }
    let step = (statements.len() / 10).max(1);
    for (index, statement) in statements.iter().enumerate() {
        tx.execute_batch(statement).map_err(fail)?;
        if (index + 1) % step == 0 || index + 1 == statements.len() {
            eprintln!(
                "{label}: {}% of the statements run",
                (index + 1) * 100 / statements.len()
            );
        }
    }
    tx.commit().map_err(fail)
}
