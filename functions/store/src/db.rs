//! The database port: what any host's database does for the application. The application
//! hands it whole statements (text and bound values) and gets rows back as one JSON array of
//! objects keyed by column name, which it decodes into the domain's row types in one pass.
//! (Text rather than values: on Workers, `JSON.stringify` in the runtime and one parse in the
//! worker cost less CPU and far less code than converting each JavaScript value.) D1 (the Workers host) and a
//! SQLite file (the single binary, the native tests) are its two adapters.

use crate::search::Arg;
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

/// A statement with its bound values.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: Cow<'static, str>,
    pub args: Vec<Arg>,
}

impl Statement {
    pub fn new(sql: impl Into<Cow<'static, str>>, args: Vec<Arg>) -> Statement {
        Statement {
            sql: sql.into(),
            args,
        }
    }
}

/// A statement whose rows are `T`s: the store binds its arguments from typed values and names
/// what its rows decode into, so that a host and the native tests run the very same statement
/// and read its rows the same way (a swapped column or argument fails a store test).
#[derive(Debug, Clone, PartialEq)]
pub struct Query<T> {
    pub statement: Statement,
    row: std::marker::PhantomData<fn() -> T>,
}

impl<T: serde::de::DeserializeOwned> Query<T> {
    pub fn new(sql: impl Into<Cow<'static, str>>, args: Vec<Arg>) -> Query<T> {
        Query {
            statement: Statement::new(sql, args),
            row: std::marker::PhantomData,
        }
    }
}

/// A `count(*) AS n` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct Count {
    pub n: i64,
}

impl Count {
    /// Whether the first row says there is any.
    pub fn any(rows: &[Count]) -> bool {
        rows.first().is_some_and(|c| c.n > 0)
    }
}

/// A statement's text without the blanks and comments before it: where its first word is (the
/// single binary sends reads to its readers by it; a load tells rows from schema by it).
pub fn after_comments(mut sql: &str) -> &str {
    loop {
        sql = sql.trim_start();
        if let Some(rest) = sql.strip_prefix("--") {
            sql = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = sql.strip_prefix("/*") {
            sql = rest.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return sql;
        }
    }
}

/// Binding helpers for the statements' builders.
pub fn text(value: &str) -> Arg {
    Arg::Text(value.to_string())
}

pub fn int(value: i64) -> Arg {
    Arg::Int(value)
}

pub fn opt_text(value: Option<&str>) -> Arg {
    value.map_or(Arg::Null, text)
}

/// What reading cost: rows the database read and how long its statements ran (milliseconds).
/// D1 reports both; SQLite reports neither, so they stay zero there.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cost {
    pub rows_read: usize,
    pub rows_returned: usize,
    pub sql_ms: f64,
}

/// A statement's rows, and what reading them cost.
#[derive(Debug, Default)]
pub struct Rows {
    /// A JSON array of objects by column name (`[]` when there is none).
    pub rows: String,
    pub cost: Cost,
}

impl Rows {
    /// The rows as JSON values (tests, tools).
    pub fn values(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.rows).unwrap_or_default()
    }
}

/// The database refused or failed a statement; `message` is its own (logged, never answered).
#[derive(Debug, Clone, PartialEq)]
pub struct DbError {
    pub message: String,
}

impl DbError {
    /// Whether a constraint refused it (`crate::broke_a_constraint`): a conflict, not a failure.
    pub fn is_conflict(&self) -> bool {
        crate::broke_a_constraint(&self.message)
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, DbError>> + Send + 'a>>;

/// Runs statements. `Send` so that one application serves a multi-threaded native server; the
/// Workers adapter, single-threaded, wraps its futures to say so.
pub trait Database: Send + Sync {
    /// Every row of one statement.
    fn all(&self, statement: Statement) -> Pending<'_, Rows>;
    /// Several statements in one transaction, all or nothing, and each one's rows (an
    /// `UPDATE … RETURNING` counts a rate limit in the same batch as it writes).
    fn batch(&self, statements: Vec<Statement>) -> Pending<'_, Vec<Rows>>;
}
