//! Local development only: the mails that would have been sent, and a proposal moved to its
//! next phase without waiting for the clock. 404 anywhere else.

use crate::config::Config;
use crate::respond;
use crate::{repo, request};
use domain::error::{ApiError, ErrorCode};
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

pub async fn outbox(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            if !Config::from_env(&ctx.env).development {
                return Err(ApiError::new(ErrorCode::NotFound));
            }
            let limit = request::query(&req, "limit")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(20)
                .clamp(1, 100);
            let items = repo::outbox::latest(&ctx.env, limit).await?;
            respond::json(&json!({ "items": items, "next_cursor": null }))
        }
        .await,
    )
}

/// `POST /api/dev/scheduled`: the scheduled run, now (what the cron does hourly in production).
/// The front worker's own scheduled handler comes here: locally, wrangler's
/// `/cdn-cgi/local/scheduled` reaches the front, which has none of the run's code.
pub async fn scheduled(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            if !Config::from_env(&ctx.env).development {
                return Err(ApiError::new(ErrorCode::NotFound));
            }
            crate::serve::scheduled(&ctx.env).await;
            respond::no_content()
        }
        .await,
    )
}

/// `POST /api/dev/proposals/{id}/next-phase`: amendable → voting → closed, now; the answer is
/// the proposal as the API shows it, settled (amendments decided, resolution recorded).
pub async fn next_phase(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    use crate::handlers::proposals::{detail, named};
    respond::outcome(
        async {
            if !Config::from_env(&ctx.env).development {
                return Err(ApiError::new(ErrorCode::NotFound));
            }
            let id = ctx.param("id").cloned().unwrap_or_default();
            let row = named(&ctx.env, &id).await?;
            let now = crate::platform::now();
            repo::cooperation::set_schedule(&ctx.env, &id, row.schedule().advanced(now)).await?;
            let row = named(&ctx.env, &id).await?;
            respond::json(&detail(&ctx.env, &row).await?)
        }
        .await,
    )
}
