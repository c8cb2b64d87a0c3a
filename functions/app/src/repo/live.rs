//! Posts and the live feed.

use super::{Statement, all, text};
use crate::App;
use domain::error::{ApiError, ErrorCode};
use domain::live::{LivePlan, LiveRow};

/// The feed's rows: its scopes looked up unless the plan already knows what they stand for
/// (400 for an unknown one), then the feed's statement.
pub async fn feed(app: &App, plan: &mut LivePlan) -> Result<Vec<LiveRow>, ApiError> {
    let ids: Vec<_> = plan.scopes.iter().map(|z| text(&z.as_string())).collect();
    if !ids.is_empty() && plan.areas.is_empty() {
        let sql = store::zones::scopes(ids.len());
        let rows: Vec<domain::zone::ScopeRow> =
            all(app, Statement::new(sql, ids), "scopes").await?;
        plan.resolve(&rows)?;
    }
    let (sql, args) = store::live::query(plan);
    all(app, Statement::new(sql, args), "live").await
}

/// Writes a post in its zone; 400 `unknown_zone` on `scope` when the zone does not exist.
pub async fn post(
    app: &App,
    id: &str,
    author: &str,
    zone: &str,
    body: &str,
    now: i64,
) -> Result<(), ApiError> {
    let written = store::live::insert_post(id, author, zone, body, now);
    let row = super::query_first(app, written, "post").await?;
    row.map(|_| ())
        .ok_or_else(|| ApiError::on_field(ErrorCode::UnknownZone, "scope"))
}
