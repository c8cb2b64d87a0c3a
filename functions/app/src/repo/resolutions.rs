//! What follows a vote: a resolution's actions and their contributors; and moderation's entry,
//! the reports of a post and the motion about it (`store::cooperation::resolutions`, run).

use super::{query, query_first, run};
use crate::App;
use domain::error::ApiError;
use domain::vote::detail::{ActionStatus, ActionView};
use store::cooperation::resolutions as sql;
pub use store::cooperation::{ActionRow, PostRow};

pub async fn actions(app: &App, proposal: &str) -> Result<Vec<ActionView>, ApiError> {
    let rows = query(app, sql::actions(proposal), "actions").await?;
    Ok(rows
        .into_iter()
        .map(|a| ActionView {
            id: a.id,
            title: a.title,
            status: a.status,
            updated_at: domain::time::rfc3339(a.updated_at),
            contributors: serde_json::from_str::<Vec<String>>(&a.contributors)
                .map_or(0, |c| c.len()),
        })
        .collect())
}

pub async fn action(app: &App, id: &str) -> Result<Option<ActionRow>, ApiError> {
    query_first(app, sql::action(id), "action").await
}

pub async fn insert_action(
    app: &App,
    id: &str,
    proposal: &str,
    title: &str,
    now: i64,
) -> Result<(), ApiError> {
    run(app, sql::insert_action(id, proposal, title, now), "action").await
}

pub async fn set_action_status(
    app: &App,
    id: &str,
    status: ActionStatus,
    now: i64,
) -> Result<(), ApiError> {
    run(
        app,
        sql::set_action_status(id, status, now),
        "action status",
    )
    .await
}

pub async fn add_contributor(app: &App, action: &str, person: &str) -> Result<(), ApiError> {
    run(app, sql::add_contributor(action, person), "contributor").await
}

pub async fn post(app: &App, id: &str) -> Result<Option<PostRow>, ApiError> {
    query_first(app, sql::post(id), "post").await
}

pub async fn hide_post(app: &App, post: &str, now: i64) -> Result<(), ApiError> {
    run(app, sql::hide_post(post, now), "hide post").await
}

/// Records a person's report of a post (once), then how many reported it.
pub async fn report(app: &App, post: &str, person: &str, now: i64) -> Result<i64, ApiError> {
    run(app, sql::report(post, person, now), "report").await?;
    let count = query_first(app, sql::reports(post), "reports").await?;
    Ok(count.map_or(0, |c| c.n))
}

/// The moderation motion about a post, if one was opened.
pub async fn motion_about(app: &App, post: &str) -> Result<Option<String>, ApiError> {
    let found = query_first(app, sql::motion_about(post), "motion").await?;
    Ok(found.map(|m| m.id))
}
