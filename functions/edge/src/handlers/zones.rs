//! `GET /api/zones` and `GET /api/zones/{id}`: communes, postal codes, départements, régions.

use crate::respond;
use crate::{repo, request};
use domain::error::{ApiError, ErrorCode};
use domain::paging;
use domain::zone::{ZoneQuery, ZoneView};
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

/// Reference data changes a few times a year: browsers and the edge may keep it an hour.
const CACHE: &str = "public, max-age=3600";

pub async fn search(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let query = ZoneQuery::plan(
                request::query(&req, "q").as_deref(),
                request::query(&req, "kind").as_deref(),
            )?;
            let limit = paging::limit(request::query(&req, "limit").as_deref())?;
            let rows = repo::zones::search(&ctx.env, &query, limit).await?;
            let items: Vec<ZoneView> = rows.into_iter().map(ZoneView::from).collect();
            let response = respond::json(&json!({ "items": items, "next_cursor": null }))?;
            respond::with_header(response, "Cache-Control", CACHE)
        }
        .await,
    )
}

pub async fn show(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let id = ctx.param("id").cloned().unwrap_or_default();
            let row = repo::zones::by_id(&ctx.env, &id)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let response = respond::json(&ZoneView::from(row))?;
            respond::with_header(response, "Cache-Control", CACHE)
        }
        .await,
    )
}
