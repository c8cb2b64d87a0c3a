//! `GET /api/zones`, `GET /api/zones/{id}` (and `.geojson`: its contour) and
//! `GET /api/zones/at?lat=&lon=` (the commune whose contour holds a point): communes,
//! arrondissements, postal codes, départements, régions.

use crate::handlers::export::answer as exported;
use crate::respond;
use crate::{repo, request};
use domain::error::{ApiError, ErrorCode};
use domain::export::{Format, geo, split_extension};
use domain::paging;
use domain::zone::{ZoneQuery, ZoneView, at, point_of};
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

/// Reference data changes a few times a year: browsers and the edge may keep it an hour.
const CACHE: &str = "public, max-age=3600";

pub async fn search(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            // A label (« Saint-Paul (974) ») finds its zone: the name, in that département.
            let typed = request::query(&req, "q").map(|q| domain::place::parse(&q));
            let query = ZoneQuery::plan(
                typed.as_ref().map(|t| t.lookup.as_str()),
                request::query(&req, "kind").as_deref(),
            )?;
            let limit = paging::limit(request::query(&req, "limit").as_deref())?;
            let departement = typed.and_then(|t| t.departement);
            let read = if departement.is_some() {
                paging::MAX_LIMIT
            } else {
                limit
            };
            let mut rows = repo::zones::search(&ctx.env, &query, read).await?;
            if let Some(d) = departement {
                rows.retain(|r| r.departement_code.as_deref() == Some(&d) || r.code == d);
                rows.truncate(limit as usize);
            }
            let items: Vec<ZoneView> = rows.into_iter().map(ZoneView::from).collect();
            let response = respond::json(&json!({ "items": items, "next_cursor": null }))?;
            respond::with_header(response, "Cache-Control", CACHE)
        }
        .await,
    )
}

/// One zone in JSON, or as a GeoJSON Feature with its contour (`{id}.geojson`).
pub async fn show(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let segment = ctx.param("id").cloned().unwrap_or_default();
            let (id, extension) = split_extension(&segment);
            let row = repo::zones::by_id(&ctx.env, id)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let view = ZoneView::from(row);
            let response = match extension {
                None => respond::json(&view)?,
                Some("geojson") => {
                    let contour = repo::zones::shape(&ctx.env, id).await?;
                    let feature = geo::zone(&view, contour.as_deref());
                    exported(Format::GeoJson, feature.to_string())?
                }
                Some(_) => return Err(ApiError::new(ErrorCode::NotFound)),
            };
            respond::with_header(response, "Cache-Control", CACHE)
        }
        .await,
    )
}

/// The commune (or arrondissement, with its `parent`) whose contour holds the point: the
/// communes filed under the point's cells, then the point in their contours (domain).
pub async fn at_point(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let point = point_of(
                request::query(&req, "lat").as_deref(),
                request::query(&req, "lon").as_deref(),
            )?;
            let candidates = repo::zones::candidates_at(&ctx.env, &point).await?;
            let response = respond::json(&ZoneView::from(at(&point, candidates)?))?;
            respond::with_header(response, "Cache-Control", CACHE)
        }
        .await,
    )
}
