//! The back worker, behind the front (service binding `BACK`): every write, accounts, funding,
//! votes, cooperation, imports, exports, the API's description and the hourly run. It serves
//! the whole API, so the front passes it anything it does not answer itself.

mod routes;

use worker::{Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    edge::serve::serve(routes::router(), req, env).await
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    edge::serve::scheduled(&env).await;
}
