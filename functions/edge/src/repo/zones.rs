//! Zones in D1.

use super::{all, first, int, text};
use domain::error::ApiError;
use domain::geo::Point;
use domain::geo::contour::lookup_cells;
use domain::zone::{NamedCode, ZoneQuery, ZoneRow};
use serde::Deserialize;
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

/// The zones that bear a name exactly (its key), most populous first.
pub async fn named(env: &Env, key: &str, limit: i64) -> Result<Vec<ZoneRow>, ApiError> {
    all(
        env,
        store::zones::BY_NAME,
        &[text(key), int(limit)],
        "zones",
    )
    .await
}

/// A zone's contour (GeoJSON geometry), if it has one.
pub async fn shape(env: &Env, id: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        geometry: String,
    }
    let row: Option<Row> = first(env, store::zones::SHAPE, &[text(id)], "zone shape").await?;
    Ok(row.map(|r| r.geometry))
}

/// The communes whose contour may hold the point, with their contours.
pub async fn candidates_at(env: &Env, point: &Point) -> Result<Vec<ZoneRow>, ApiError> {
    let cells: Vec<JsValue> = lookup_cells(point).iter().map(|c| text(c)).collect();
    all(
        env,
        &store::zones::candidates_at(cells.len()),
        &cells,
        "zones at",
    )
    .await
}

/// A commune's arrondissements, or an arrondissement's commune, with their names.
pub async fn related(env: &Env, zone: &ZoneRow) -> Result<Vec<NamedCode>, ApiError> {
    if zone.kind != "commune" {
        return Ok(Vec::new());
    }
    let args = [text(&zone.code), super::opt_text(zone.parent.as_deref())];
    all(
        env,
        store::zones::RELATED_COMMUNES,
        &args,
        "related communes",
    )
    .await
}
