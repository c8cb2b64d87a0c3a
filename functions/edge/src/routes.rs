//! Every route of the API and of the pages. Handlers live in `handlers`, one module per area.

use crate::handlers::{auth, features, funding, funding_pages, ledger, me, pledges};
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
        .get_async("/api/funding/summary", funding::summary)
        .post_async("/api/donations", funding::create)
        .get_async("/api/donations", funding::mine)
        .post_async("/api/donations/manual", funding::record_manual)
        .delete_async("/api/donations/:id", funding::cancel)
        .post_async("/api/payments/webhook", funding::webhook)
        .post_async("/api/features", features::create)
        .get_async("/api/features", features::list)
        .get_async("/api/features/:id", features::show)
        .patch_async("/api/features/:id", features::steer)
        .post_async("/api/features/:id/pledges", features::pledge)
        .get_async("/api/pledges", pledges::mine)
        .delete_async("/api/pledges/:id", pledges::withdraw)
        .post_async("/api/pledges/:id/move", pledges::move_to)
        .post_async("/api/pledges/:id/refund", pledges::refund)
        .post_async("/api/ledger/expenses", ledger::expense)
        .get_async("/api/ledger", ledger::list)
        .get_async("/api/ledger/verify", ledger::verify)
        .get_async("/api/ledger/latest", ledger::latest)
        .get_async("/api/ledger.csv", ledger::csv)
        .get_async("/financer", funding_pages::features)
        .get_async("/financer/", funding_pages::features)
        .get_async("/financer/:id/", funding_pages::feature)
        .get_async("/transparence", funding_pages::transparency)
        .get_async("/transparence/", funding_pages::transparency);
    // Development builds only (feature `dev`): production wasm has no `/api/dev/*` route at all.
    #[cfg(feature = "dev")]
    let api = crate::handlers::dev::routes(api);
    // Whatever is not routed here is the application's (crate `app`), which both hosts serve.
    api.or_else_any_method_async("/*rest", crate::host::to_app)
}
