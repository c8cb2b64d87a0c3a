//! The database port (`store::db::Database`) on a SQLite file: one writer connection for the
//! batches and every statement that writes, and a few reader connections for the reads, which
//! the write-ahead log lets run while the writer writes. Every statement runs on tokio's blocking
//! threads (`spawn_blocking`), so the threads that serve requests never wait on the disk.
//!
//! A statement goes to a reader when its text is a read (`SELECT`, or `WITH … SELECT` naming no
//! write) and the reader's SQLite agrees (`sqlite3_stmt_readonly`); anything else — an
//! `INSERT … RETURNING` or an `UPDATE` sent through `all` — goes to the writer. The readers are
//! also `query_only`, so a write that reached one would fail rather than write beside the writer.

use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use store::db::{Database, DbError, Pending, Rows, Statement};

/// How many reader connections a server opens by default.
pub const READERS: usize = 4;

/// The pool: cheap to share (`Arc` inside).
pub struct Pool {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl Pool {
    /// A pool over the database at `path`, whose `writer` connection is already open (and the
    /// database migrated), with `readers` reader connections.
    pub fn new(path: &Path, writer: Connection, readers: usize) -> Result<Pool, String> {
        let readers = (0..readers.max(1))
            .map(|_| {
                let db = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
                store::file::prepare(&db, path)?;
                db.pragma_update(None, "query_only", true)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(Mutex::new(db))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Pool {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers,
                next: AtomicUsize::new(0),
            }),
        })
    }

    /// Opens the file (creating it), migrates it and opens the pool: what `serve` does.
    pub fn open(path: &Path, readers: usize) -> Result<(Pool, store::file::Migrated), String> {
        let (writer, migrated) = store::file::open_and_migrate(path)?;
        Ok((Pool::new(path, writer, readers)?, migrated))
    }

    /// Runs `work` on a blocking thread with the pool.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, DbError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|e| DbError {
                message: format!("database task: {e}"),
            })?
    }
}

impl Database for Pool {
    fn all(&self, statement: Statement) -> Pending<'_, Rows> {
        Box::pin(self.blocking(move |inner| inner.all(&statement)))
    }

    fn batch(&self, statements: Vec<Statement>) -> Pending<'_, Vec<Rows>> {
        Box::pin(self.blocking(move |inner| inner.batch(&statements)))
    }
}

/// A connection's lock; a panic while holding it left the connection usable (SQLite rolled back).
fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Inner {
    fn all(&self, statement: &Statement) -> Result<Rows, DbError> {
        if !reads_only(&statement.sql) {
            return run(&lock(&self.writer), statement);
        }
        let reader = self.reader();
        // The text looked like a read; SQLite has the last word (a `WITH` may write).
        let read_only = reader
            .prepare_cached(&statement.sql)
            .map(|prepared| prepared.readonly())
            .map_err(|e| DbError {
                message: format!("{e} in {}", statement.sql),
            })?;
        if read_only {
            return run(&reader, statement);
        }
        drop(reader);
        run(&lock(&self.writer), statement)
    }

    fn batch(&self, statements: &[Statement]) -> Result<Vec<Rows>, DbError> {
        let steps: Vec<(&str, Vec<store::search::Arg>)> = statements
            .iter()
            .map(|s| (s.sql.as_ref(), s.args.clone()))
            .collect();
        let all = store::native::batch_rows(&mut lock(&self.writer), &steps)
            .map_err(|message| DbError { message })?;
        Ok(all.into_iter().map(store::native::counted).collect())
    }

    /// A free reader if there is one, else the next in turn (waiting for it).
    fn reader(&self) -> MutexGuard<'_, Connection> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.readers.len();
        for offset in 0..count {
            if let Ok(guard) = self.readers[(start + offset) % count].try_lock() {
                return guard;
            }
        }
        lock(&self.readers[start % count])
    }
}

fn run(db: &Connection, statement: &Statement) -> Result<Rows, DbError> {
    store::native::objects(db, &statement.sql, &statement.args)
        .map(store::native::counted)
        .map_err(|message| DbError { message })
}

/// Whether a statement's text is a read: it starts (after blanks and comments) with `SELECT`, or
/// with `WITH` and names no write. Anything else is taken for a write.
pub fn reads_only(sql: &str) -> bool {
    let text = store::db::after_comments(sql);
    let first: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    match first.as_str() {
        "SELECT" => true,
        "WITH" => !words(text).any(|word| {
            matches!(
                word.to_ascii_uppercase().as_str(),
                "INSERT" | "UPDATE" | "DELETE" | "REPLACE" | "RETURNING"
            )
        }),
        _ => false,
    }
}

fn words(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::search::Arg::{Int, Text};

    fn pool() -> (tempfile::TempDir, Pool) {
        let dir = tempfile::tempdir().unwrap();
        let (pool, _) = Pool::open(&dir.path().join("communs.db"), READERS).unwrap();
        (dir, pool)
    }

    fn zone(id: &str) -> Statement {
        Statement::new(
            "INSERT INTO zone (id, kind, code, name, name_key) VALUES (?1, 'commune', ?1, ?1, ?1)",
            vec![Text(id.into())],
        )
    }

    async fn zones(pool: &Pool) -> i64 {
        let rows = pool
            .all(Statement::new("SELECT count(*) AS n FROM zone", vec![]))
            .await
            .unwrap();
        rows.values()[0]["n"].as_i64().unwrap()
    }

    #[test]
    fn reads_are_told_from_writes_by_their_text() {
        for read in [
            "SELECT 1",
            "  select * from zone",
            "-- a comment\n  /* another */ SELECT 1",
            "WITH t AS (SELECT 1) SELECT * FROM t",
        ] {
            assert!(reads_only(read), "{read}");
        }
        for write in [
            "INSERT INTO zone VALUES (1)",
            "UPDATE zone SET name = 'x' RETURNING id",
            "WITH t AS (SELECT 1) INSERT INTO zone SELECT * FROM t",
            "WITH t AS (SELECT 1) DELETE FROM zone WHERE id IN t",
            "/* SELECT */ DELETE FROM zone",
            "REPLACE INTO zone VALUES (1)",
            "",
        ] {
            assert!(!reads_only(write), "{write}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_sent_through_all_reaches_the_writer() {
        let (_dir, pool) = pool();
        let rows = pool
            .all(Statement::new(
                "INSERT INTO zone (id, kind, code, name, name_key) VALUES ('a', 'commune', 'a', 'A', 'a') RETURNING id",
                vec![],
            ))
            .await
            .unwrap();
        assert_eq!(rows.values()[0]["id"], "a");
        // A `WITH` that writes, which the text alone would not tell from a read if it hid its
        // verb: SQLite's own verdict sends it to the writer.
        pool.all(Statement::new(
            "WITH named(n) AS (SELECT 'B') UPDATE zone SET name = (SELECT n FROM named) WHERE id = 'a'",
            vec![],
        ))
        .await
        .unwrap();
        let read = pool
            .all(Statement::new(
                "SELECT name FROM zone WHERE id = 'a'",
                vec![],
            ))
            .await
            .unwrap();
        assert_eq!(read.values()[0]["name"], "B");
        // A batch gives each statement's rows, as on D1.
        let answered = pool
            .batch(vec![
                zone("c"),
                Statement::new(
                    "UPDATE zone SET name = 'C' WHERE id = 'c' RETURNING name",
                    vec![],
                ),
            ])
            .await
            .unwrap();
        assert_eq!(answered.len(), 2);
        assert_eq!(answered[1].values()[0]["name"], "C");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_read_while_a_batch_writes() {
        let (_dir, pool) = pool();
        let pool = Arc::new(pool);
        let writer = {
            let pool = Arc::clone(&pool);
            tokio::spawn(async move {
                for round in 0..20 {
                    let batch = (0..50).map(|i| zone(&format!("z{round}-{i}"))).collect();
                    pool.batch(batch).await.unwrap();
                }
            })
        };
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let pool = Arc::clone(&pool);
                tokio::spawn(async move {
                    let mut counts = Vec::new();
                    for _ in 0..20 {
                        counts.push(zones(&pool).await);
                    }
                    counts
                })
            })
            .collect();
        for reader in readers {
            let counts = reader.await.unwrap();
            // A reader sees whole batches only, and never goes back in time.
            assert!(counts.iter().all(|n| n % 50 == 0), "{counts:?}");
            assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
        }
        writer.await.unwrap();
        assert_eq!(zones(&pool).await, 1000);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_batch_leaves_nothing_and_a_constraint_is_a_conflict() {
        let (_dir, pool) = pool();
        pool.batch(vec![zone("taken")]).await.unwrap();
        let error = pool
            .batch(vec![zone("new"), zone("taken")])
            .await
            .unwrap_err();
        assert!(error.is_conflict(), "{error}");
        assert_eq!(zones(&pool).await, 1, "the batch was all or nothing");

        let error = pool.all(zone("taken")).await.unwrap_err();
        assert!(error.is_conflict(), "{error}");

        let broken = pool
            .batch(vec![
                zone("other"),
                Statement::new("UPDATE nowhere SET x = ?1", vec![Int(1)]),
            ])
            .await
            .unwrap_err();
        assert!(!broken.is_conflict(), "{broken}");
        assert_eq!(zones(&pool).await, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_reader_refuses_to_write() {
        let (_dir, pool) = pool();
        let reader = pool.inner.reader();
        let error = reader
            .execute("INSERT INTO zone (id, kind, code, name, name_key) VALUES ('x', 'commune', 'x', 'x', 'x')", [])
            .unwrap_err();
        assert!(error.to_string().contains("readonly"), "{error}");
    }
}
