//! Local development only, compiled into development builds alone (feature `dev`): the mails
//! that would have been sent, the scheduled run and a proposal's next phase without waiting for
//! the clock (and the test checkout, `dev_checkout`). Even there they answer only in
//! development (`ENVIRONMENT`) and for a loopback `Host` (`crate::development`); 404 anywhere
//! else.

use crate::development::admitted;
use crate::handlers::proposals::{detail, named};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo, session};
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::json;

/// The development routes, added to the router by development builds.
pub fn routes(router: Router<App>) -> Router<App> {
    router
        .route("/api/dev/outbox", get(outbox))
        .route("/api/dev/scheduled", post(scheduled))
        .route("/api/dev/proposals/{id}/next-phase", post(next_phase))
}

pub async fn outbox(State(app): State<App>, req: Req) -> Outcome {
    admitted(&req, &app)?;
    let limit = domain::paging::limit(req.query("limit").as_deref())?;
    let items = repo::outbox::latest(&app, limit).await?;
    respond::json(&json!({ "items": items, "next_cursor": null }))
}

/// `POST /api/dev/scheduled`: the scheduled run, now (what runs hourly in production). On
/// Workers, wrangler's local `/cdn-cgi/local/scheduled` reaches the front, which asks here.
pub async fn scheduled(State(app): State<App>, req: Req) -> Outcome {
    admitted(&req, &app)?;
    crate::scheduled::run(&app).await;
    respond::no_content()
}

/// `POST /api/dev/proposals/{id}/next-phase`: amendable → voting → closed, now, by the
/// proposal's author or an instance admin; the answer is the proposal as the API shows it,
/// settled (amendments decided, resolution recorded).
pub async fn next_phase(State(app): State<App>, req: Req) -> Outcome {
    admitted(&req, &app)?;
    req.check_write()?;
    let id = req.param("id");
    let row = named(&app, &id).await?;
    let (actor, person) = session::actor(&req, &app).await?;
    domain::development::may_advance(
        person.as_ref().map(|p| p.id.as_str()),
        actor.instance_admin,
        row.author_id.as_deref(),
    )?;
    let schedule = row.schedule().advanced(app.now());
    repo::cooperation::set_schedule(&app, &id, schedule).await?;
    let row = named(&app, &id).await?;
    respond::json(&detail(&app, &row).await?)
}
