//! The search statement on D1.

use super::{db, int, statement, text, unavailable};
use domain::error::ApiError;
use domain::search::{Plan, ResultRow};
use store::search::{Arg, query};
use wasm_bindgen::JsValue;
use worker::Env;

pub async fn run(env: &Env, plan: &Plan) -> Result<Vec<ResultRow>, ApiError> {
    let (sql, args) = query(plan);
    let args: Vec<JsValue> = args
        .into_iter()
        .map(|a| match a {
            Arg::Text(t) => text(&t),
            Arg::Int(i) => int(i),
            Arg::Real(r) => JsValue::from_f64(r),
        })
        .collect();
    let db = db(env)?;
    statement(&db, &sql, &args)?
        .all()
        .await
        .and_then(|r| r.results())
        .map_err(|e| unavailable("search", e))
}
