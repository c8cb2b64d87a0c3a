//! The statements run on a SQLite file natively (the static generator reads a copy of the
//! database this way). Rows are decoded as on D1: through serde, by column name, so the same
//! row types serve both.

use crate::db::{Database, DbError, Pending, Query, Rows, Statement};
use crate::search::Arg;
use rusqlite::types::{Value, ValueRef};
pub use rusqlite::{Connection, OpenFlags};
use serde::de::DeserializeOwned;

/// Opens a database file read-only: reading for pages never changes it.
pub fn open_read_only(path: &std::path::Path) -> Result<Connection, String> {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Holds a connection to what D1 holds a database to, so that a statement behaves the same on
/// both hosts: foreign keys enforced, at most five terms in a compound select, expressions at
/// most 100 deep.
pub fn like_d1(db: &Connection) -> Result<(), String> {
    use rusqlite::limits::Limit;
    db.pragma_update(None, "foreign_keys", true)
        .map_err(|e| e.to_string())?;
    db.set_limit(
        Limit::SQLITE_LIMIT_COMPOUND_SELECT,
        crate::search::MAX_COMPOUND as i32,
    )
    .map_err(|e| e.to_string())?;
    db.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, 100)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// A new database in memory with the schema of record (tests).
pub fn fresh_in_memory() -> Connection {
    let db = Connection::open_in_memory().expect("SQLite opens a database in memory");
    like_d1(&db).expect("SQLite takes D1's limits");
    db.execute_batch(crate::SCHEMA)
        .expect("schema.sql applies to SQLite");
    db
}

/// Every row of a statement, decoded into `T`.
pub fn rows<T: DeserializeOwned>(
    db: &Connection,
    sql: &str,
    args: &[Arg],
) -> Result<Vec<T>, String> {
    objects(db, sql, args)?
        .into_iter()
        .map(|row| serde_json::from_value(row).map_err(|e| format!("{e} in {sql}")))
        .collect()
}

/// Runs a statement as the application hands it to a host; how many rows it changed.
pub fn execute(db: &Connection, statement: &Statement) -> Result<usize, String> {
    let params = rusqlite::params_from_iter(statement.args.iter().map(value));
    db.execute(&statement.sql, params)
        .map_err(|e| format!("{e} in {}", statement.sql))
}

/// Every row of a query, decoded as the application decodes them.
pub fn query<T: DeserializeOwned>(db: &Connection, query: &Query<T>) -> Result<Vec<T>, String> {
    rows(db, &query.statement.sql, &query.statement.args)
}

/// Every row of a statement as a JSON object by column name, as D1 gives them.
pub fn objects(db: &Connection, sql: &str, args: &[Arg]) -> Result<Vec<serde_json::Value>, String> {
    let mut statement = db
        .prepare_cached(sql)
        .map_err(|e| format!("{e} in {sql}"))?;
    let names: Vec<String> = statement.column_names().map(str::to_string).collect();
    let params = rusqlite::params_from_iter(args.iter().map(value));
    let mut found = statement.query(params).map_err(|e| e.to_string())?;
    let mut decoded = Vec::new();
    while let Some(row) = found.next().map_err(|e| e.to_string())? {
        let mut object = serde_json::Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i).map_err(|e| e.to_string())? {
                ValueRef::Null | ValueRef::Blob(_) => serde_json::Value::Null,
                ValueRef::Integer(n) => n.into(),
                ValueRef::Real(r) => r.into(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
            };
            object.insert(name.clone(), value);
        }
        decoded.push(object.into());
    }
    Ok(decoded)
}

/// Runs `steps` in one transaction, all or nothing, as D1 runs a batch.
pub fn batch(db: &mut Connection, steps: &[(&str, Vec<Arg>)]) -> Result<(), String> {
    batch_rows(db, steps).map(|_| ())
}

/// Runs `steps` in one transaction, all or nothing, and gives each one's rows (an
/// `UPDATE … RETURNING` answers in a batch as on D1).
pub fn batch_rows(
    db: &mut Connection,
    steps: &[(&str, Vec<Arg>)],
) -> Result<Vec<Vec<serde_json::Value>>, String> {
    let tx = db.transaction().map_err(|e| e.to_string())?;
    let mut all = Vec::with_capacity(steps.len());
    for (sql, args) in steps {
        all.push(objects(&tx, sql, args)?);
    }
    tx.commit().map_err(|e| e.to_string())?;
    Ok(all)
}

/// One SQLite connection as the application's database port (`crate::db::Database`): the
/// native tests' database. Statements run where the future is polled; a host that must not
/// block (the single binary) runs them on threads of its own.
pub struct Sqlite(std::sync::Mutex<Connection>);

impl Sqlite {
    pub fn new(connection: Connection) -> Sqlite {
        Sqlite(std::sync::Mutex::new(connection))
    }

    fn run<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, String>,
    ) -> Result<T, DbError> {
        // A panic while holding the lock leaves the connection usable: SQLite rolled back.
        let mut connection = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut connection).map_err(|message| DbError { message })
    }

    /// Every row of one statement, now.
    pub fn all_now(&self, statement: &Statement) -> Result<Rows, DbError> {
        self.run(|db| Ok(counted(objects(db, &statement.sql, &statement.args)?)))
    }

    /// Several statements in one transaction, now, and each one's rows.
    pub fn batch_now(&self, statements: &[Statement]) -> Result<Vec<Rows>, DbError> {
        self.run(|db| {
            let steps: Vec<(&str, Vec<Arg>)> = statements
                .iter()
                .map(|s| (s.sql.as_ref(), s.args.clone()))
                .collect();
            Ok(batch_rows(db, &steps)?.into_iter().map(counted).collect())
        })
    }
}

/// Rows as the port gives them: SQLite does not say what it read, only what it returned.
pub fn counted(rows: Vec<serde_json::Value>) -> Rows {
    Rows {
        cost: crate::db::Cost {
            rows_returned: rows.len(),
            ..Default::default()
        },
        rows: serde_json::Value::Array(rows).to_string(),
    }
}

impl Database for Sqlite {
    fn all(&self, statement: Statement) -> Pending<'_, Rows> {
        Box::pin(std::future::ready(self.all_now(&statement)))
    }

    fn batch(&self, statements: Vec<Statement>) -> Pending<'_, Vec<Rows>> {
        Box::pin(std::future::ready(self.batch_now(&statements)))
    }
}

/// A bound value as rusqlite takes it.
pub fn value(arg: &Arg) -> Value {
    match arg {
        Arg::Text(t) => Value::Text(t.clone()),
        Arg::Int(i) => Value::Integer(*i),
        Arg::Real(r) => Value::Real(*r),
        Arg::Null => Value::Null,
    }
}

/// A page of search results, as the edge finds it (`edge::repo::search::find`): the
/// statements the domain orders (`Plan::reads`).
pub fn search(
    db: &Connection,
    plan: &domain::search::Plan,
) -> Result<domain::search::Page, String> {
    use domain::search::reads::Step;
    let (mut reads, mut step) = plan.reads();
    loop {
        step = match step {
            Step::Zones(zones) => {
                let ids: Vec<Arg> = zones.iter().map(|z| Arg::Text(z.as_string())).collect();
                let found: Vec<domain::zone::ScopeRow> =
                    rows(db, &crate::zones::scopes(ids.len()), &ids)?;
                reads
                    .resolved(&found)
                    .map_err(|e| e.code.code().to_string())?
            }
            Step::Count(cells) => {
                let (sql, args) = crate::search::density(plan, cells);
                let counted: Vec<domain::search::reads::Counted> = rows(db, &sql, &args)?;
                reads.counted(counted.first().copied().unwrap_or_default())
            }
            Step::Read(statement) => {
                let (sql, args) = crate::search::query(&statement);
                reads.found(rows(db, &sql, &args)?)
            }
            Step::Done(found) => return Ok(plan.page(found)),
        }
    }
}
