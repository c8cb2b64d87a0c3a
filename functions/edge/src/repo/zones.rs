//! Zones in D1.

use super::{db, int, statement, text, unavailable};
use domain::error::ApiError;
use domain::zone::{ZoneQuery, ZoneRow};
use wasm_bindgen::JsValue;
use worker::Env;

pub async fn by_id(env: &Env, id: &str) -> Result<Option<ZoneRow>, ApiError> {
    let db = db(env)?;
    statement(&db, store::zones::BY_ID, &[text(id)])?
        .first(None)
        .await
        .map_err(|e| unavailable("zone", e))
}

pub async fn search(env: &Env, query: &ZoneQuery, limit: i64) -> Result<Vec<ZoneRow>, ApiError> {
    let db = db(env)?;
    let kind = query.kind().map_or(JsValue::NULL, text);
    let prepared = match query {
        ZoneQuery::Code { code, .. } => {
            statement(&db, store::zones::BY_CODE, &[text(code), kind, int(limit)])?
        }
        ZoneQuery::Name { prefix, upper, .. } => statement(
            &db,
            store::zones::BY_NAME_PREFIX,
            &[text(prefix), text(upper), kind, int(limit)],
        )?,
    };
    prepared
        .all()
        .await
        .and_then(|r| r.results())
        .map_err(|e| unavailable("zones", e))
}
