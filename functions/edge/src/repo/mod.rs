//! The D1 repository: every statement comes from the `store` crate, where it is tested natively.

pub mod cooperation;
pub mod elements;
pub mod features;
pub mod funding;

use domain::error::{ApiError, ErrorCode};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

pub fn db(env: &Env) -> Result<D1Database, ApiError> {
    env.d1("DB")
        .map_err(|error| database_error("binding DB", error))
}

/// Logs the cause for the operator and hands the client only a stable code: a broken
/// constraint (two requests raced to the same unique value) is a conflict with what is stored,
/// 409; anything else, the database failing us, 503.
pub fn database_error(what: &str, error: worker::Error) -> ApiError {
    worker::console_error!("D1 {what}: {error}");
    match conflict(&error) {
        true => ApiError::new(ErrorCode::Conflict),
        false => ApiError::new(ErrorCode::Unavailable),
    }
}

/// Whether D1 refused a statement for a broken constraint (`store::broke_a_constraint`).
fn conflict(error: &worker::Error) -> bool {
    store::broke_a_constraint(&error.to_string())
}

/// Prepares a statement with its arguments.
pub fn statement(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(sql)
        .bind(args)
        .map_err(|error| database_error("bind", error))
}

/// Every row of a statement.
pub async fn all<T: serde::de::DeserializeOwned>(
    env: &Env,
    sql: &str,
    args: &[JsValue],
    what: &str,
) -> Result<Vec<T>, ApiError> {
    let db = db(env)?;
    statement(&db, sql, args)?
        .all()
        .await
        .and_then(|r| r.results())
        .map_err(|e| database_error(what, e))
}

/// What D1 reports it read for a statement, and how long it ran: the search's cost, which
/// `make bench` compares to the rows it returned and subtracts from the request's CPU time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cost {
    pub rows_read: usize,
    pub rows_returned: usize,
    /// Milliseconds D1 spent running the statements (its own time, not the worker's).
    pub sql_ms: f64,
}

/// Every row of a statement, and what reading them cost.
pub async fn all_with_cost<T: serde::de::DeserializeOwned>(
    env: &Env,
    sql: &str,
    args: &[JsValue],
    what: &str,
) -> Result<(Vec<T>, Cost), ApiError> {
    let db = db(env)?;
    let result = statement(&db, sql, args)?
        .all()
        .await
        .map_err(|e| database_error(what, e))?;
    let rows: Vec<T> = result.results().map_err(|e| database_error(what, e))?;
    let meta = result.meta().ok().flatten();
    let cost = Cost {
        rows_read: meta.as_ref().and_then(|m| m.rows_read).unwrap_or(0),
        rows_returned: rows.len(),
        sql_ms: meta.and_then(|m| m.duration).unwrap_or(0.0),
    };
    Ok((rows, cost))
}

/// The first row of a statement, if any.
pub async fn first<T: serde::de::DeserializeOwned>(
    env: &Env,
    sql: &str,
    args: &[JsValue],
    what: &str,
) -> Result<Option<T>, ApiError> {
    let db = db(env)?;
    statement(&db, sql, args)?
        .first(None)
        .await
        .map_err(|e| database_error(what, e))
}

/// Shorthand for binding integers (D1 takes JS numbers).
pub fn int(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}

pub fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

pub fn opt_text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// The store's bound values (search, live feed) as D1 arguments.
pub fn args(args: Vec<store::search::Arg>) -> Vec<JsValue> {
    use store::search::Arg;
    args.into_iter()
        .map(|a| match a {
            Arg::Text(t) => text(&t),
            Arg::Int(i) => int(i),
            Arg::Real(r) => JsValue::from_f64(r),
            Arg::Null => JsValue::NULL,
        })
        .collect()
}
