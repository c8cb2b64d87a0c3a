//! Local development only, compiled into development builds alone (feature `dev`): the mails
//! that would have been sent, the scheduled run and a proposal's next phase without waiting for
//! the clock, and the test checkout (`dev_checkout`). Even there they answer only in development
//! (`ENVIRONMENT`) and for a loopback `Host` (`domain::development`); 404 anywhere else.

use crate::handlers::dev_checkout;
use crate::respond;
use crate::{repo, request, session};
use domain::error::ApiError;
use serde_json::json;
use worker::{Env, Request, Response, Result, RouteContext, Router};

/// The development routes, added to the back's router by development builds.
pub fn routes(router: Router<'static, ()>) -> Router<'static, ()> {
    router
        .get_async("/api/dev/outbox", outbox)
        .post_async("/api/dev/scheduled", scheduled)
        .post_async("/api/dev/proposals/:id/next-phase", next_phase)
        .get_async("/api/dev/checkout/:id", dev_checkout::dev_checkout)
        .post_async("/api/dev/checkout/:id/pay", dev_checkout::dev_pay)
        .get_async("/api/dev/setup/:id", dev_checkout::dev_setup)
        .post_async("/api/dev/setup/:id/save", dev_checkout::dev_save_card)
}

/// Development, and a request addressed to this machine, or 404. Both the address the worker
/// was given and the `Host` header must name it: a local proxy may rewrite one of them.
pub fn admitted(req: &Request, env: &Env) -> std::result::Result<(), ApiError> {
    let development = crate::config::from_env(env).development;
    let origin = request::site_origin(req);
    let url_host = origin.split_once("://").map_or("", |(_, host)| host);
    domain::development::admit(development, url_host)?;
    match request::header(req, "Host") {
        Some(host) => domain::development::admit(development, &host),
        None => Ok(()),
    }
}

pub async fn outbox(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            admitted(&req, &ctx.env)?;
            let limit = domain::paging::limit(request::query(&req, "limit").as_deref())?;
            let items = repo::outbox::latest(&ctx.env, limit).await?;
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
