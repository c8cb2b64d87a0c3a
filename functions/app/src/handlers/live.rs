//! The live feed of a territory (JSON, or Atom at `/api/live.atom`), and short posts into it.

use crate::handlers::export::{answer as exported, format_of};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo, session};
use axum::extract::State;
use domain::access::{self, Action};
use domain::error::{ApiError, ErrorCode};
use domain::export::{Format, LIVE, feed::atom};
use domain::live::{LivePage, LivePlan, PostInput};
use serde_json::json;

async fn page(req: &Req, app: &App) -> Result<LivePage, ApiError> {
    let mut plan = LivePlan::from_query(&req.query_pairs())?;
    let rows = repo::live::feed(app, &mut plan).await?;
    Ok(plan.page(rows))
}

/// The feed in JSON (the Workers front serves this one).
pub async fn feed_json(State(app): State<App>, req: Req) -> Outcome {
    if !crate::handlers::export::asks_json(&req, LIVE) {
        return Ok(respond::unrouted());
    }
    respond::json(&page(&req, &app).await?)
}

pub async fn feed(State(app): State<App>, req: Req) -> Outcome {
    let format = format_of(&req, LIVE)?;
    let page = page(&req, &app).await?;
    if format == Format::Json {
        return respond::json(&page);
    }
    let mut names = Vec::new();
    for scope in &page_scopes(&req) {
        let row = repo::zones::by_id(&app, scope).await?;
        names.push(row.map_or_else(|| scope.clone(), |z| domain::place::label(&z)));
    }
    let title = domain::live::feed_title(&names);
    let site = &app.config.site_url;
    let body = atom(&page.items, site, &req.url(), &title, app.now());
    exported(format, body)
}

/// The zones a feed's query names.
fn page_scopes(req: &Req) -> Vec<String> {
    req.query_pairs()
        .into_iter()
        .filter(|(k, _)| k == "scope")
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

pub async fn post(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let (actor, person) = session::actor(&req, &app).await?;
    access::decide(
        actor,
        Action::PostNews,
        Default::default(),
        Default::default(),
    )?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let (zone, text) = req.json::<PostInput>().await?.check()?;
    let now = app.now();
    let limits = [(domain::limits::POSTS_PER_PERSON, person.id.as_str())];
    repo::limits::enforce(&app, &limits, now).await?;
    let id = format!("s_{}", &app.token()[..22]);
    repo::live::post(&app, &id, &person.id, &zone.as_string(), &text, now).await?;
    let at = domain::time::rfc3339(now);
    respond::json_status(
        &json!({ "id": id, "scope": zone.as_string(), "text": text, "at": at }),
        201,
    )
}
