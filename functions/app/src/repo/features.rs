//! Features to co-fund, as a budget vote reads and starts them.

use super::{Arg, all, first, int, opt_text, run, statement, text};
use crate::App;
use domain::error::ApiError;
use domain::feature::FeatureRow;
use store::features as sql;

pub async fn feature(app: &App, id: &str) -> Result<Option<FeatureRow>, ApiError> {
    first(
        app,
        statement(sql::FEATURE_BY_ID, vec![text(id)]),
        "feature",
    )
    .await
}

pub async fn features(
    app: &App,
    status: Option<&str>,
    now: i64,
) -> Result<Vec<FeatureRow>, ApiError> {
    let found = statement(sql::FEATURES, vec![opt_text(status), int(now)]);
    all(app, found, "features").await
}

/// A move along the pipeline; false when the feature changed meanwhile.
pub async fn steer(
    app: &App,
    row: &FeatureRow,
    status: &str,
    deadline: Option<i64>,
    now: i64,
) -> Result<bool, ApiError> {
    let args = vec![
        text(&row.id),
        text(status),
        deadline.map_or(Arg::Null, int),
        int(now),
        text(&row.status),
    ];
    let moved: Vec<serde_json::Value> = all(app, statement(sql::STEER, args), "steer").await?;
    let changed = moved.len() == 1;
    if changed {
        let history = statement(sql::INSERT_HISTORY, vec![text(&row.id), int(now)]);
        run(app, history, "history").await?;
    }
    Ok(changed)
}
