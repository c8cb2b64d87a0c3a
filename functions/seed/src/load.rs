//! Loading generated statements straight into a SQLite file — a local D1 that no server holds
//! open — for benchmark volumes: a million elements in one transaction take about a minute,
//! where `wrangler d1 execute` needs several (one process and one import a file).

use std::path::Path;

/// Removes an earlier volume, then runs `statements` in one transaction, printing progress.
pub fn volume(db: &Path, statements: &[String]) -> Result<(), String> {
    let fail = |e: rusqlite::Error| format!("{}: {e}", db.display());
    let mut conn = rusqlite::Connection::open(db).map_err(fail)?;
    // As D1 does: deleting an element takes its tags with it.
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(fail)?;
    // Twelve indexes and two full-text indexes take rows in scattered order: with SQLite's
    // default 2 MB of cache, most inserts read and write a page of the file (327 s for a million
    // elements); 512 MB keeps them in memory until the commit.
    conn.pragma_update(None, "cache_size", -512 * 1024)
        .map_err(fail)?;
    let tx = conn.transaction().map_err(fail)?;
    let removed = tx
        .execute(store::elements::DELETE_VOLUME, [])
        .map_err(fail)?;
    eprintln!("seed-volume: {removed} elements of an earlier volume removed");
    let step = (statements.len() / 10).max(1);
    for (index, statement) in statements.iter().enumerate() {
        tx.execute_batch(statement).map_err(fail)?;
        if (index + 1) % step == 0 {
            eprintln!(
                "seed-volume: {}% of the statements run",
                (index + 1) * 100 / statements.len()
            );
        }
    }
    tx.commit().map_err(fail)
}
