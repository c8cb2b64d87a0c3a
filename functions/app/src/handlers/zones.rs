//! `GET /api/zones`, `GET /api/zones/{id}` (and `.geojson`: its contour) and
//! `GET /api/zones/at?lat=&lon=` (the commune whose contour holds a point): communes,
//! arrondissements, postal codes, départements, régions.

use crate::handlers::export::answer as exported;
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo};
use axum::extract::State;
use domain::error::{ApiError, ErrorCode};
use domain::export::{Format, geo, split_extension};
use domain::paging;
use domain::zone::{ZoneQuery, ZoneView, at, point_of};
use serde_json::json;

/// Reference data changes a few times a year: browsers and the edge may keep it an hour.
const CACHE: &str = "public, max-age=3600";

pub async fn search(State(app): State<App>, req: Req) -> Outcome {
    // A label (« Saint-Paul (974) ») finds its zone: the name, in that département.
    let typed = req.query("q").map(|q| domain::place::parse(&q));
    let query = ZoneQuery::plan(
        typed.as_ref().map(|t| t.lookup.as_str()),
        req.query("kind").as_deref(),
    )?;
    let limit = paging::limit(req.query("limit").as_deref())?;
    let departement = typed.and_then(|t| t.departement);
    let read = match departement {
        Some(_) => paging::MAX_LIMIT,
        None => limit,
    };
    let mut rows = repo::zones::search(&app, &query, read).await?;
    if let Some(d) = departement {
        rows.retain(|r| r.departement_code.as_deref() == Some(&d) || r.code == d);
        rows.truncate(limit as usize);
    }
    let items: Vec<ZoneView> = rows.into_iter().map(ZoneView::from).collect();
    let response = respond::json(&json!({ "items": items, "next_cursor": null }))?;
    respond::with_header(response, "Cache-Control", CACHE)
}

/// One zone in JSON, or as a GeoJSON Feature with its contour (`{id}.geojson`).
pub async fn show(State(app): State<App>, req: Req) -> Outcome {
    let segment = req.param("id");
    let (id, extension) = split_extension(&segment);
    let row = repo::zones::by_id(&app, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let view = ZoneView::from(row);
    let response = match extension {
        None => respond::json(&view)?,
        Some("geojson") => {
            let contour = repo::zones::shape(&app, id).await?;
            let feature = geo::zone(&view, contour.as_deref());
            exported(Format::GeoJson, feature.to_string())?
        }
        Some(_) => return Err(ApiError::new(ErrorCode::NotFound).into()),
    };
    respond::with_header(response, "Cache-Control", CACHE)
}

/// One zone in JSON only (the Workers front's): its contour in GeoJSON is the back's to give.
pub async fn show_json(State(app): State<App>, req: Req) -> Outcome {
    match split_extension(&req.param("id")).1 {
        None => show(State(app), req).await,
        Some(_) => Ok(respond::unrouted()),
    }
}

/// The commune (or arrondissement, with its `parent`) whose contour holds the point: the
/// communes filed under the point's cells, then the point in their contours (domain).
pub async fn at_point(State(app): State<App>, req: Req) -> Outcome {
    let point = point_of(req.query("lat").as_deref(), req.query("lon").as_deref())?;
    let candidates = repo::zones::candidates_at(&app, &point).await?;
    let response = respond::json(&ZoneView::from(at(&point, candidates)?))?;
    respond::with_header(response, "Cache-Control", CACHE)
}
