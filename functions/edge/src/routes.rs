//! The API's routes. Handlers live in `handlers`, one module per area.

use crate::handlers::{auth, dev, elements, live, me, pages, search, stats, system, zones};
use crate::respond;
use domain::error::{ApiError, ErrorCode};
use worker::Router;

pub fn router() -> Router<'static, ()> {
    Router::new()
        .get_async("/api/health", system::health)
        .get("/api/openapi.json", system::openapi)
        .get_async("/api/stats", stats::stats)
        .post_async("/api/auth/email", auth::request_link)
        .post_async("/api/auth/verify", auth::verify)
        .post_async("/api/auth/logout", auth::logout)
        .get_async("/api/me", me::show)
        .patch_async("/api/me", me::update)
        .delete_async("/api/me", me::erase)
        .get_async("/api/me/export", me::export)
        .get_async("/api/dev/outbox", dev::outbox)
        .get_async("/api/zones", zones::search)
        .get_async("/api/zones/:id", zones::show)
        .get_async("/api/search", search::search)
        .get_async("/api/agenda", search::agenda)
        .get_async("/api/live", live::feed)
        .post_async("/api/posts", live::post)
        .post_async("/api/elements", elements::create)
        .get_async("/api/elements/:id", elements::show)
        .patch_async("/api/elements/:id", elements::update)
        .delete_async("/api/elements/:id", elements::delete)
        .get_async("/api/elements/:id/relation", elements::relation)
        .post_async("/api/elements/:id/follow", elements::follow)
        .delete_async("/api/elements/:id/follow", elements::unfollow)
        .post_async("/api/elements/:id/join", elements::join)
        .delete_async("/api/elements/:id/join", elements::leave)
        .get_async("/api/elements/:id/members", elements::members)
        .patch_async("/api/elements/:id/members", elements::update_member)
        .get_async("/e/:slug", pages::element)
        .get_async("/e/:slug/", pages::element)
        .get_async("/e/:slug/actuel/", pages::current_element)
        .get_async("/recherche", pages::search)
        .get_async("/recherche/", pages::search)
        .get_async("/communes/:code/", pages::commune)
        .get_async("/departements/:code/", pages::departement)
        .get_async("/regions/:code/", pages::region)
        .get_async("/agenda", pages::agenda)
        .get_async("/agenda/", pages::agenda)
        .get_async("/live", pages::live)
        .get_async("/live/", pages::live)
        .or_else_any_method("/api/*rest", |_, _| {
            respond::failure(&ApiError::new(ErrorCode::NotFound))
        })
}
