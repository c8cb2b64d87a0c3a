//! The statements run on a SQLite file natively (the static generator reads a copy of the
//! database this way). Rows are decoded as on D1: through serde, by column name, so the same
//! row types serve both.

use crate::search::Arg;
use rusqlite::types::{Value, ValueRef};
pub use rusqlite::{Connection, OpenFlags};
use serde::de::DeserializeOwned;

/// Opens a database file read-only: reading for pages never changes it.
pub fn open_read_only(path: &std::path::Path) -> Result<Connection, String> {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Every row of a statement, decoded into `T`.
pub fn rows<T: DeserializeOwned>(
    db: &Connection,
    sql: &str,
    args: &[Arg],
) -> Result<Vec<T>, String> {
    let mut statement = db.prepare(sql).map_err(|e| format!("{e} in {sql}"))?;
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
        decoded.push(serde_json::from_value(object.into()).map_err(|e| format!("{e} in {sql}"))?);
    }
    Ok(decoded)
}

/// Runs `steps` in one transaction, all or nothing, as D1 runs a batch.
pub fn batch(db: &mut Connection, steps: &[(&str, Vec<Arg>)]) -> Result<(), String> {
    let tx = db.transaction().map_err(|e| e.to_string())?;
    for (sql, args) in steps {
        tx.execute(sql, rusqlite::params_from_iter(args.iter().map(value)))
            .map_err(|e| format!("{e} in {sql}"))?;
    }
    tx.commit().map_err(|e| e.to_string())
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
