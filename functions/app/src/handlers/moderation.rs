//! Moderation's entry: reports of a live post or a comment, the third of which opens an
//! automatic motion to hide it (carried out by `resolutions::carry_out` once adopted).

use crate::repo::resolutions as posts;
use crate::repo::{query, query_first, run};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::access::Action;
use domain::error::{ApiError, ErrorCode};
use domain::vote::moderation;
use serde_json::json;
use store::cooperation::About;

/// What may be reported: a live post or a comment, still shown.
pub enum Reported {
    Post { id: String, text: String },
    Comment { id: String, text: String },
}

impl Reported {
    fn about(&self) -> About<'_> {
        match self {
            Reported::Post { id, .. } => About::Post(id),
            Reported::Comment { id, .. } => About::Comment(id),
        }
    }

    fn text(&self) -> &str {
        match self {
            Reported::Post { text, .. } | Reported::Comment { text, .. } => text,
        }
    }

    /// Records a person's report (once), then how many reported it.
    async fn report(&self, app: &App, person: &str, now: i64) -> Result<i64, ApiError> {
        match self {
            Reported::Post { id, .. } => posts::report(app, id, person, now).await,
            Reported::Comment { id, .. } => {
                run(app, store::comments::report(id, person, now), "report").await?;
                let count = query_first(app, store::comments::reports(id), "reports").await?;
                Ok(count.map_or(0, |c| c.n))
            }
        }
    }

    async fn motion(&self, app: &App) -> Result<Option<String>, ApiError> {
        match self {
            Reported::Post { id, .. } => posts::motion_about(app, id).await,
            Reported::Comment { id, .. } => {
                let found = query(app, store::comments::motion_about(id), "motion").await?;
                Ok(found.into_iter().next().map(|m| m.id))
            }
        }
    }
}

/// `POST /api/posts/{id}/reports`.
pub async fn report(State(app): State<App>, req: Req) -> Outcome {
    let post = posts::post(&app, &req.param("id"))
        .await?
        .filter(|p| p.hidden_at.is_none())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let reported = Reported::Post {
        id: post.id,
        text: post.text,
    };
    let (reports, motion) = file_report(&app, &req, &reported).await?;
    respond::json_status(&json!({"reports": reports, "motion": motion}), 201)
}

/// One report per person; the third opens a secret motion (75 %, about two days) to hide the
/// item, in the instance's space. The reports so far and the motion, if open.
pub async fn file_report(
    app: &App,
    req: &Req,
    reported: &Reported,
) -> Result<(i64, Option<String>), ApiError> {
    req.check_write()?;
    let person = session::allowed(req, app, Action::PostNews)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let now = app.now();
    let limits = [(domain::limits::REPORTS_PER_PERSON, person.id.as_str())];
    crate::repo::limits::enforce(app, &limits, now).await?;
    let reports = reported.report(app, &person.id, now).await?;
    let mut motion = None;
    if moderation::opens_motion(reports) {
        motion = Some(open_motion(app, reported, now).await?);
    }
    Ok((reports, motion))
}

/// The moderation motion about an item: opened once (a unique key on the item), whoever's
/// report crossed the line.
async fn open_motion(app: &App, reported: &Reported, now: i64) -> Result<String, ApiError> {
    if let Some(existing) = reported.motion(app).await? {
        return Ok(existing);
    }
    let request = moderation::motion(reported.text(), now);
    let id = format!("pr_{}", &app.token()[..16]);
    let about = reported.about();
    let inserted = crate::repo::cooperation::insert(app, &id, &request, None, about, now);
    // A concurrent report may have opened it a moment ago: then its id is the answer.
    if inserted.await.is_err() {
        return reported
            .motion(app)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::Unavailable));
    }
    Ok(id)
}
