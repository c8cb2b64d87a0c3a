//! Every route of the API and of the pages. Handlers live in `handlers`, one module per area.

use crate::handlers::{auth, cooperation_pages, elements, imports, me, proposals, resolutions};
use worker::Router;

pub fn router() -> Router<'static, ()> {
    let api = Router::new()
        .post_async("/api/auth/email", auth::request_link)
        .post_async("/api/auth/verify", auth::verify)
        .post_async("/api/auth/logout", auth::logout)
        .get_async("/api/me", me::show)
        .patch_async("/api/me", me::update)
        .delete_async("/api/me", me::erase)
        .get_async("/api/me/export", me::export)
        .get_async("/api/me/links", me::links)
        .get_async("/api/me/proposals", me::proposals)
        .post_async("/api/elements", elements::create)
        .post_async("/api/imports", imports::create)
        // Its GET is the application's; the router would answer 405 rather than pass it on.
        .get_async("/api/elements/:id", crate::host::to_app)
        .patch_async("/api/elements/:id", elements::update)
        .delete_async("/api/elements/:id", elements::delete)
        .get_async("/api/elements/:id/relation", elements::relation)
        .post_async("/api/elements/:id/follow", elements::follow)
        .delete_async("/api/elements/:id/follow", elements::unfollow)
        .post_async("/api/elements/:id/join", elements::join)
        .delete_async("/api/elements/:id/join", elements::leave)
        .get_async("/api/elements/:id/members", elements::members)
        .patch_async("/api/elements/:id/members", elements::update_member)
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
