//! `GET /api/stats`: the public counters shown on the home page.

use crate::repo::{database_error, db, statement};
use crate::respond;
use domain::stats::{Stats, TallyRow};
use worker::{Request, Response, Result, RouteContext};

pub async fn stats(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let db = db(&ctx.env)?;
            let rows: Vec<TallyRow> = statement(&db, store::stats::ALL, &[])?
                .all()
                .await
                .and_then(|r| r.results())
                .map_err(|e| database_error("stats", e))?;
            let response = respond::json(&Stats::from_rows(&rows))?;
            respond::with_header(response, "Cache-Control", "public, max-age=300")
        }
        .await,
    )
}
