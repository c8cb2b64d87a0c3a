//! `GET /api/stats`: the public counters shown on the home page.

use crate::respond::{self, Outcome};
use crate::{App, repo};
use axum::extract::State;
use domain::stats::Stats;

pub async fn stats(State(app): State<App>) -> Outcome {
    let rows = repo::query(&app, store::stats::all(), "stats").await?;
    let response = respond::json(&Stats::from_rows(&rows))?;
    respond::with_header(response, "Cache-Control", "public, max-age=300")
}
