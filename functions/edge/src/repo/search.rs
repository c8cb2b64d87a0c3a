//! The search statement on D1.

use domain::error::ApiError;
use domain::search::{Plan, ResultRow};
use worker::Env;

pub async fn run(env: &Env, plan: &Plan) -> Result<Vec<ResultRow>, ApiError> {
    let (sql, args) = store::search::query(plan);
    super::all(env, &sql, &super::args(args), "search").await
}
