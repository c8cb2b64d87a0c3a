//! What follows a vote: a resolution's actions and their contributors; and moderation's entry,
//! the reports of a post and the motion about it.

use super::{all, first, int, run, statement, text};
use crate::App;
use domain::error::ApiError;
use domain::vote::detail::{ActionStatus, ActionView};
use serde::Deserialize;
use store::cooperation as sql;

#[derive(Deserialize)]
struct ActionStored {
    id: String,
    title: String,
    status: ActionStatus,
    updated_at: i64,
    contributors: String,
}

pub async fn actions(app: &App, proposal: &str) -> Result<Vec<ActionView>, ApiError> {
    let found = statement(sql::ACTIONS_OF, vec![text(proposal)]);
    let rows: Vec<ActionStored> = all(app, found, "actions").await?;
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

#[derive(Deserialize)]
pub struct ActionRow {
    pub id: String,
    pub proposal_id: String,
}

pub async fn action(app: &App, id: &str) -> Result<Option<ActionRow>, ApiError> {
    first(app, statement(sql::ACTION_BY_ID, vec![text(id)]), "action").await
}

pub async fn insert_action(
    app: &App,
    id: &str,
    proposal: &str,
    title: &str,
    now: i64,
) -> Result<(), ApiError> {
    let args = vec![text(id), text(proposal), text(title), int(now)];
    run(app, statement(sql::INSERT_ACTION, args), "action").await
}

pub async fn set_action_status(
    app: &App,
    id: &str,
    status: ActionStatus,
    now: i64,
) -> Result<(), ApiError> {
    let args = vec![text(id), text(status.as_str()), int(now)];
    let set = statement(sql::SET_ACTION_STATUS, args);
    run(app, set, "action status").await
}

pub async fn add_contributor(app: &App, action: &str, person: &str) -> Result<(), ApiError> {
    let args = vec![text(action), text(person)];
    run(app, statement(sql::ADD_CONTRIBUTOR, args), "contributor").await
}

#[derive(Deserialize)]
pub struct PostRow {
    pub id: String,
    pub text: String,
    pub hidden_at: Option<i64>,
}

pub async fn post(app: &App, id: &str) -> Result<Option<PostRow>, ApiError> {
    first(app, statement(sql::POST_BY_ID, vec![text(id)]), "post").await
}

pub async fn hide_post(app: &App, post: &str, now: i64) -> Result<(), ApiError> {
    let args = vec![text(post), int(now)];
    run(app, statement(sql::HIDE_POST, args), "hide post").await
}

/// Records a person's report of a post (once), then how many reported it.
pub async fn report(app: &App, post: &str, person: &str, now: i64) -> Result<i64, ApiError> {
    #[derive(Deserialize)]
    struct Count {
        n: i64,
    }
    let args = vec![text(post), text(person), int(now)];
    run(app, statement(sql::REPORT_POST, args), "report").await?;
    let found = statement(sql::REPORTS_OF, vec![text(post)]);
    let count: Option<Count> = first(app, found, "reports").await?;
    Ok(count.map_or(0, |c| c.n))
}

/// The moderation motion about a post, if one was opened.
pub async fn motion_about(app: &App, post: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let found = statement(sql::MOTION_ABOUT, vec![text(post)]);
    let row: Option<Id> = first(app, found, "motion").await?;
    Ok(row.map(|m| m.id))
}
