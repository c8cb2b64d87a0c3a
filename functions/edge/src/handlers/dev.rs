//! Local development only, compiled into development builds alone (feature `dev`): the mails
//! that would have been sent, the scheduled run and a proposal's next phase without waiting for
//! the clock (the test checkout is the application's: `app::handlers::dev_checkout`). Even there
//! they answer only in development (`ENVIRONMENT`) and for a loopback `Host`
//! (`domain::development`); 404 anywhere else.

use crate::respond;
use crate::{request, session};
use domain::error::ApiError;
use serde_json::json;
use worker::{Env, Request, Response, Result, RouteContext, Router};

/// The development routes, added to the back's router by development builds.
pub fn routes(router: Router<'static, ()>) -> Router<'static, ()> {
    router
        .get_async("/api/dev/outbox", outbox)
        .post_async("/api/dev/scheduled", scheduled)
        .post_async("/api/dev/proposals/:id/next-phase", next_phase)
}

/// Development, and a request addressed to this machine, or 404 (`app::development::admit`).
pub fn admitted(req: &Request, env: &Env) -> std::result::Result<(), ApiError> {
    let development = crate::config::from_env(env).development;
    let host = request::header(req, "Host");
    app::development::admit(development, &request::site_origin(req), host.as_deref())
}

pub async fn outbox(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            admitted(&req, &ctx.env)?;
            let limit = domain::paging::limit(request::query(&req, "limit").as_deref())?;
            let app = crate::host::application(&ctx.env)?;
            let items = app::repo::outbox::latest(&app, limit).await?;
            respond::json(&json!({ "items": items, "next_cursor": null }))
        }
        .await,
    )
}

/// `POST /api/dev/scheduled`: the scheduled run, now (what the cron does hourly in production).
/// The front worker's own scheduled handler comes here: locally, wrangler's
/// `/cdn-cgi/local/scheduled` reaches the front, which has none of the run's code.
pub async fn scheduled(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            admitted(&req, &ctx.env)?;
            crate::serve::scheduled(&ctx.env).await;
            respond::no_content()
        }
        .await,
    )
}

/// `POST /api/dev/proposals/{id}/next-phase`: amendable → voting → closed, now, by the
/// proposal's author or an instance admin; the answer is the proposal as the API shows it,
/// settled (amendments decided, resolution recorded).
pub async fn next_phase(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    use app::handlers::proposals::{detail, named};
    respond::outcome(
        async {
            admitted(&req, &ctx.env)?;
            request::check_write(&req)?;
            let app = crate::host::app(&ctx.env)
                .map_err(|_| ApiError::new(domain::error::ErrorCode::Unavailable))?;
            let id = ctx.param("id").cloned().unwrap_or_default();
            let row = named(&app, &id).await?;
            let (actor, person) = session::actor(&req, &ctx.env).await?;
            domain::development::may_advance(
                person.as_ref().map(|p| p.id.as_str()),
                actor.instance_admin,
                row.author_id.as_deref(),
            )?;
            let schedule = row.schedule().advanced(app.now());
            app::repo::cooperation::set_schedule(&app, &id, schedule).await?;
            let row = named(&app, &id).await?;
            respond::json(&detail(&app, &row).await?)
        }
        .await,
    )
}
