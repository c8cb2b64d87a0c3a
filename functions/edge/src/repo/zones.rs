//! Zones in D1.

use super::{all, first, int, text};
use domain::error::ApiError;
use domain::zone::{ZoneQuery, ZoneRow};
use wasm_bindgen::JsValue;
use worker::Env;

pub async fn by_id(env: &Env, id: &str) -> Result<Option<ZoneRow>, ApiError> {
    first(env, store::zones::BY_ID, &[text(id)], "zone").await
}

pub async fn search(env: &Env, query: &ZoneQuery, limit: i64) -> Result<Vec<ZoneRow>, ApiError> {
    let kind = query.kind().map_or(JsValue::NULL, text);
    match query {
        ZoneQuery::Code { code, .. } => {
            all(
                env,
                store::zones::BY_CODE,
                &[text(code), kind, int(limit)],
                "zones",
            )
            .await
        }
        ZoneQuery::Name { prefix, upper, .. } => {
            let args = [text(prefix), text(upper), kind, int(limit)];
            all(env, store::zones::BY_NAME_PREFIX, &args, "zones").await
        }
    }
}
