//! Every route of the API and of the pages. Handlers live in `handlers`, one module per area.

use crate::handlers::{cooperation_pages, proposals, resolutions};
use worker::Router;

pub fn router() -> Router<'static, ()> {
    let api = Router::new()
        .post_async("/api/proposals", proposals::create)
        .get_async("/api/proposals", proposals::list)
        .get_async("/api/proposals/:id", proposals::show)
        .post_async("/api/proposals/:id/ballot", proposals::cast)
        .post_async("/api/proposals/:id/ballots", proposals::cast)
        .get_async("/api/proposals/:id/receipt/:receipt", proposals::receipt)
        .post_async("/api/proposals/:id/receipt", proposals::check_receipt)
        .post_async("/api/proposals/:id/amendments", proposals::amend)
        .post_async("/api/amendments/:amendment/vote", proposals::vote_amendment)
        .post_async(
            "/api/proposals/:id/amendments/:amendment/votes",
            proposals::vote_amendment,
        )
        .post_async("/api/proposals/:id/actions", resolutions::add_action)
        .patch_async("/api/actions/:id", resolutions::update_action)
        .post_async("/api/posts/:id/reports", resolutions::report)
        .get_async("/cooperation/:community/", cooperation_pages::community)
        .post_async("/cooperation/:community/", cooperation_pages::propose)
        .get_async("/propositions/:id/", cooperation_pages::proposal)
        .post_async("/propositions/:id/", cooperation_pages::act);
    // Development builds only (feature `dev`): production wasm has no `/api/dev/*` route at all.
    #[cfg(feature = "dev")]
    let api = crate::handlers::dev::routes(api);
    // Whatever is not routed here is the application's (crate `app`), which both hosts serve.
    api.or_else_any_method_async("/*rest", crate::host::to_app)
}
