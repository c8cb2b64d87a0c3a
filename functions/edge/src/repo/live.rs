//! Posts and the live feed in D1.

use super::{database_error, db, int, statement, text};
use domain::error::{ApiError, ErrorCode};
use domain::live::{LivePlan, LiveRow};
use serde::Deserialize;
use worker::Env;

/// The feed's rows: its scopes looked up unless the plan already knows what they stand for
/// (400 for an unknown one), then the feed's statement.
pub async fn feed(env: &Env, plan: &mut LivePlan) -> Result<Vec<LiveRow>, ApiError> {
    let ids: Vec<_> = plan.scopes.iter().map(|z| text(&z.as_string())).collect();
    if ids.is_empty() || !plan.areas.is_empty() {
        let (sql, args) = store::live::query(plan);
        return super::all(env, &sql, &super::args(args), "live").await;
    }
    let rows: Vec<domain::zone::ScopeRow> =
        super::all(env, &store::zones::scopes(ids.len()), &ids, "scopes").await?;
    plan.resolve(&rows)?;
    let (sql, args) = store::live::query(plan);
    super::all(env, &sql, &super::args(args), "live").await
}

/// Writes a post in its zone; 400 `unknown_zone` on `scope` when the zone does not exist.
pub async fn post(
    env: &Env,
    id: &str,
    author: &str,
    zone: &str,
    body: &str,
    now: i64,
) -> Result<(), ApiError> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        id: String,
    }
    let db = db(env)?;
    let args = [text(id), text(author), text(body), int(now), text(zone)];
    let row: Option<Row> = statement(&db, store::live::INSERT_POST, &args)?
        .first(None)
        .await
        .map_err(|e| database_error("post", e))?;
    row.map(|_| ())
        .ok_or_else(|| ApiError::on_field(ErrorCode::UnknownZone, "scope"))
}
