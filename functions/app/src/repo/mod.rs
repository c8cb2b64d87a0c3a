//! The application's reads and writes: the store's statements run on the `Database` port, their
//! rows decoded into the domain's types, and a database failure turned into a stable code.

pub mod accounts;
pub mod cooperation;
pub mod elements;
pub mod features;
pub mod funding;
pub mod imports;
pub mod ledger;
pub mod limits;
pub mod live;
pub mod meta;
pub mod outbox;
pub mod resolutions;
pub mod search;
pub mod zones;

use crate::App;
use domain::error::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
pub use store::db::{Cost, Statement};
pub use store::search::Arg;

/// Logs the cause for the operator and hands the client only a stable code: a broken
/// constraint (two requests raced to the same unique value) is a conflict with what is stored,
/// 409; anything else, the database failing us, 503.
pub fn database_error(what: &str, error: store::db::DbError) -> ApiError {
    crate::log::error(&format!("database {what}: {error}"));
    match error.is_conflict() {
        true => ApiError::new(ErrorCode::Conflict),
        false => ApiError::new(ErrorCode::Unavailable),
    }
}

/// Decodes rows (a JSON array) into `T`; rows that do not fit are the code's fault, logged,
/// and 500.
pub(crate) fn decode<T: DeserializeOwned>(rows: String, what: &str) -> Result<Vec<T>, ApiError> {
    serde_json::from_str(&rows).map_err(|e| {
        crate::log::error(&format!("decoding {what}: {e}"));
        ApiError::new(ErrorCode::Internal)
    })
}

/// Every row of a statement, and what reading them cost.
pub async fn all_with_cost<T: DeserializeOwned>(
    app: &App,
    statement: Statement,
    what: &str,
) -> Result<(Vec<T>, Cost), ApiError> {
    let found = app
        .db
        .all(statement)
        .await
        .map_err(|e| database_error(what, e))?;
    Ok((decode(found.rows, what)?, found.cost))
}

/// Every row of a statement.
pub async fn all<T: DeserializeOwned>(
    app: &App,
    statement: Statement,
    what: &str,
) -> Result<Vec<T>, ApiError> {
    Ok(all_with_cost(app, statement, what).await?.0)
}

/// The first row of a statement, if any.
pub async fn first<T: DeserializeOwned>(
    app: &App,
    statement: Statement,
    what: &str,
) -> Result<Option<T>, ApiError> {
    Ok(all(app, statement, what).await?.into_iter().next())
}

/// Every row of a query, decoded into its type.
pub async fn query<T: DeserializeOwned>(
    app: &App,
    query: store::db::Query<T>,
    what: &str,
) -> Result<Vec<T>, ApiError> {
    all(app, query.statement, what).await
}

/// The first row of a query, if any.
pub async fn query_first<T: DeserializeOwned>(
    app: &App,
    query: store::db::Query<T>,
    what: &str,
) -> Result<Option<T>, ApiError> {
    Ok(self::query(app, query, what).await?.into_iter().next())
}

/// Runs a statement for what it does, not for rows.
pub async fn run(app: &App, statement: Statement, what: &str) -> Result<(), ApiError> {
    app.db
        .all(statement)
        .await
        .map(|_| ())
        .map_err(|e| database_error(what, e))
}

/// Several statements, all or nothing, and each one's rows.
pub async fn batch(
    app: &App,
    statements: Vec<Statement>,
    what: &str,
) -> Result<Vec<store::db::Rows>, ApiError> {
    app.db
        .batch(statements)
        .await
        .map_err(|e| database_error(what, e))
}

pub use store::db::{int, opt_text, text};

/// A fixed statement with its arguments.
pub fn statement(sql: &'static str, args: Vec<Arg>) -> Statement {
    Statement::new(sql, args)
}
