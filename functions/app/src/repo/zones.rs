//! Zones: communes, arrondissements, postal codes, départements, régions
//! (`store::zones::zone`, run).

use super::{query, query_first};
use crate::App;
use domain::error::ApiError;
use domain::geo::Point;
use domain::geo::contour::lookup_cells;
use domain::zone::{NamedCode, ZoneQuery, ZoneRow};
use store::zones::zone;

pub async fn by_id(app: &App, id: &str) -> Result<Option<ZoneRow>, ApiError> {
    query_first(app, zone::by_id(id), "zone").await
}

pub async fn search(app: &App, asked: &ZoneQuery, limit: i64) -> Result<Vec<ZoneRow>, ApiError> {
    query(app, zone::search(asked, limit), "zones").await
}

/// The zones that bear a name exactly (its key), most populous first.
pub async fn named(app: &App, key: &str, limit: i64) -> Result<Vec<ZoneRow>, ApiError> {
    query(app, zone::named(key, limit), "zones").await
}

/// A zone's contour (GeoJSON geometry), if it has one.
pub async fn shape(app: &App, id: &str) -> Result<Option<String>, ApiError> {
    let row = query_first(app, zone::shape(id), "zone shape").await?;
    Ok(row.map(|r| r.geometry))
}

/// The communes whose contour may hold the point, with their contours.
pub async fn candidates_at(app: &App, point: &Point) -> Result<Vec<ZoneRow>, ApiError> {
    query(app, zone::candidates_at(&lookup_cells(point)), "zones at").await
}

/// A commune's arrondissements, or an arrondissement's commune, with their names.
pub async fn related(app: &App, row: &ZoneRow) -> Result<Vec<NamedCode>, ApiError> {
    if row.kind != domain::zone::ZoneKind::Commune {
        return Ok(Vec::new());
    }
    let related = zone::related(&row.code, row.parent.as_deref());
    query(app, related, "related communes").await
}
