//! The search statement on D1.

use super::{db, statement, unavailable};
use domain::error::ApiError;
use domain::search::{Plan, ResultRow};
use store::search::query;
use worker::Env;

pub async fn run(env: &Env, plan: &Plan) -> Result<Vec<ResultRow>, ApiError> {
    let (sql, args) = query(plan);
    let args = super::args(args);
    let db = db(env)?;
    statement(&db, &sql, &args)?
        .all()
        .await
        .and_then(|r| r.results())
        .map_err(|e| unavailable("search", e))
}
