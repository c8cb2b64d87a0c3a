//! The front worker, the one every visitor reaches. It answers the reads that make up almost
//! all traffic (searches, agenda, live feed, zones, element and zone pages) and passes the rest
//! to the back worker through a service binding. Kept small, it starts fast at the edge.

mod routes;

use edge::back;
use worker::{Context, Env, Method, Request, Response, Result, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    // Writes go straight to the back: the router would answer 405 where they share a path
    // with a read of ours.
    if !matches!(req.method(), Method::Get | Method::Head) {
        return back::forward(req, &env).await;
    }
    edge::serve::serve(routes::router(), req, env).await
}
