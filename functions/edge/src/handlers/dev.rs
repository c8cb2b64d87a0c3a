//! Local development only: the mails that would have been sent. 404 anywhere else.

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
