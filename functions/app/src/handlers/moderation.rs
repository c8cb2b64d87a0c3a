//! Moderation's entry: reports of a post, the third of which opens an automatic motion to hide
//! it (carried out by `resolutions::carry_out` once adopted).

use crate::repo::resolutions::{self as repo, PostRow};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::access::Action;
use domain::error::{ApiError, ErrorCode};
use domain::vote::moderation;
use serde_json::json;

/// `POST /api/posts/{id}/reports`: one report per person; the third opens a secret motion
/// (75 %, about two days) to hide the post, in the instance's space.
pub async fn report(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let person = session::allowed(&req, &app, Action::PostNews)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let post = repo::post(&app, &req.param("id"))
        .await?
        .filter(|p| p.hidden_at.is_none())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let now = app.now();
    let reports = repo::report(&app, &post.id, &person.id, now).await?;
    let mut motion = None;
    if moderation::opens_motion(reports) {
        motion = Some(open_motion(&app, &post, now).await?);
    }
    respond::json_status(&json!({"reports": reports, "motion": motion}), 201)
}

/// The moderation motion about a post: opened once (a unique key on the post), whoever's
/// report crossed the line.
async fn open_motion(app: &App, post: &PostRow, now: i64) -> Result<String, ApiError> {
    if let Some(existing) = repo::motion_about(app, &post.id).await? {
        return Ok(existing);
    }
    let request = moderation::motion(&post.text, now);
    let id = format!("pr_{}", &app.token()[..16]);
    let inserted = crate::repo::cooperation::insert(app, &id, &request, None, Some(&post.id), now);
    // A concurrent report may have opened it a moment ago: then its id is the answer.
    if inserted.await.is_err() {
        return repo::motion_about(app, &post.id)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::Unavailable));
    }
    Ok(id)
}
