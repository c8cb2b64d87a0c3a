//! Zones: communes, arrondissements, postal codes, départements, régions.

use super::{Arg, Statement, all, first, int, statement, text};
use crate::App;
use domain::error::ApiError;
use domain::geo::Point;
use domain::geo::contour::lookup_cells;
use domain::zone::{NamedCode, ZoneQuery, ZoneRow};
use serde::Deserialize;

pub async fn by_id(app: &App, id: &str) -> Result<Option<ZoneRow>, ApiError> {
    first(app, statement(store::zones::BY_ID, vec![text(id)]), "zone").await
}

pub async fn search(app: &App, query: &ZoneQuery, limit: i64) -> Result<Vec<ZoneRow>, ApiError> {
    let kind = query.kind().map_or(Arg::Null, text);
    let found = match query {
        ZoneQuery::Code { code, .. } => {
            statement(store::zones::BY_CODE, vec![text(code), kind, int(limit)])
        }
        ZoneQuery::Name { prefix, upper, .. } => statement(
            store::zones::BY_NAME_PREFIX,
            vec![text(prefix), text(upper), kind, int(limit)],
        ),
    };
    all(app, found, "zones").await
}

/// The zones that bear a name exactly (its key), most populous first.
pub async fn named(app: &App, key: &str, limit: i64) -> Result<Vec<ZoneRow>, ApiError> {
    let found = statement(store::zones::BY_NAME, vec![text(key), int(limit)]);
    all(app, found, "zones").await
}

/// A zone's contour (GeoJSON geometry), if it has one.
pub async fn shape(app: &App, id: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        geometry: String,
    }
    let row: Option<Row> = first(
        app,
        statement(store::zones::SHAPE, vec![text(id)]),
        "zone shape",
    )
    .await?;
    Ok(row.map(|r| r.geometry))
}

/// The communes whose contour may hold the point, with their contours.
pub async fn candidates_at(app: &App, point: &Point) -> Result<Vec<ZoneRow>, ApiError> {
    let cells: Vec<Arg> = lookup_cells(point).iter().map(|c| text(c)).collect();
    let sql = store::zones::candidates_at(cells.len());
    all(app, Statement::new(sql, cells), "zones at").await
}

/// A commune's arrondissements, or an arrondissement's commune, with their names.
pub async fn related(app: &App, zone: &ZoneRow) -> Result<Vec<NamedCode>, ApiError> {
    if zone.kind != "commune" {
        return Ok(Vec::new());
    }
    let args = vec![text(&zone.code), super::opt_text(zone.parent.as_deref())];
    all(
        app,
        statement(store::zones::RELATED_COMMUNES, args),
        "related communes",
    )
    .await
}
