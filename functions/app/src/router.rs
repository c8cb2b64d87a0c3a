//! Every route the application answers, and what each answer gets on its way out.

use crate::App;
use crate::handlers::{
    amendments, auth, ballots, comments, cooperation_pages, discussion_pages, elements, imports,
    live, me, moderation, notifications, pages, pictures, proposals, resolutions, search, stats,
    system, zones,
};
use crate::respond::{self, Response};
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post};
use domain::error::{ApiError, ErrorCode};
use http::{HeaderName, HeaderValue, Method, header};

/// Every route.
pub fn router(app: App) -> Router {
    pages::others(common())
        .route("/api/openapi.json", get(system::openapi))
        .route("/api/zones/{id}", get(zones::show))
        // Exports by extension (domain::export): the handler reads it from the path.
        .route("/api/search", get(search::search))
        .route("/api/search.json", get(search::search))
        .route("/api/search.jsonld", get(search::search))
        .route("/api/search.geojson", get(search::search))
        .route("/api/search.csv", get(search::search))
        .route("/api/agenda", get(search::agenda))
        .route("/api/agenda.json", get(search::agenda))
        .route("/api/agenda.jsonld", get(search::agenda))
        .route("/api/agenda.geojson", get(search::agenda))
        .route("/api/agenda.csv", get(search::agenda))
        .route("/api/agenda.ics", get(search::agenda))
        .route("/api/live", get(live::feed))
        .route("/api/live.json", get(live::feed))
        .route("/api/live.atom", get(live::feed))
        .route("/api/posts", post(live::post))
        .route("/api/elements", post(elements::create))
        .route("/api/imports", post(imports::create))
        .route(
            "/api/elements/{id}",
            get(elements::show)
                .patch(elements::update)
                .delete(elements::delete),
        )
        .route("/api/elements/{id}/relation", get(elements::relation))
        .route("/api/elements/{id}/images", post(pictures::add))
        .route("/api/images/{id}", delete(pictures::delete))
        .route("/media/{file}", get(pictures::serve))
        .route(
            "/api/elements/{id}/follow",
            post(elements::follow).delete(elements::unfollow),
        )
        .route(
            "/api/elements/{id}/join",
            post(elements::join).delete(elements::leave),
        )
        .route(
            "/api/elements/{id}/members",
            get(elements::members).patch(elements::update_member),
        )
        .route("/api/auth/email", post(auth::request_link))
        .route("/api/auth/verify", post(auth::verify))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/me", get(me::show).patch(me::update).delete(me::erase))
        .route("/api/me/export", get(me::export))
        .route("/api/me/links", get(me::links))
        .route("/api/me/proposals", get(me::proposals))
        .merge(crate::handlers::funding::routes())
        .route(
            "/api/proposals",
            post(proposals::create).get(proposals::list),
        )
        .route("/api/proposals/{id}", get(proposals::show))
        .route("/api/proposals/{id}/ballot", post(ballots::cast))
        .route("/api/proposals/{id}/ballots", post(ballots::cast))
        .route(
            "/api/proposals/{id}/receipt/{receipt}",
            get(ballots::receipt),
        )
        .route("/api/proposals/{id}/receipt", post(ballots::check_receipt))
        .route("/api/proposals/{id}/amendments", post(amendments::amend))
        .route(
            "/api/amendments/{amendment}/vote",
            post(amendments::vote_amendment),
        )
        .route(
            "/api/proposals/{id}/amendments/{amendment}/votes",
            post(amendments::vote_amendment),
        )
        .route("/api/proposals/{id}/actions", post(resolutions::add_action))
        .route("/api/actions/{id}", patch(resolutions::update_action))
        .route("/api/posts/{id}/reports", post(moderation::report))
        .route("/api/comments", post(comments::create).get(comments::list))
        .route(
            "/api/comments/{id}",
            patch(comments::edit).delete(comments::delete),
        )
        .route("/api/comments/{id}/reports", post(comments::report))
        .route("/api/me/notifications", get(notifications::list))
        .route("/api/me/notifications/read", post(notifications::read))
        .route(
            "/api/notifications/unsubscribe",
            get(notifications::unsubscribe_page).post(notifications::unsubscribe),
        )
        .route(
            "/cooperation/{community}/",
            get(cooperation_pages::community).post(cooperation_pages::propose),
        )
        .route(
            "/propositions/{id}/",
            get(cooperation_pages::proposal).post(cooperation_pages::act),
        )
        .route(
            "/discussion/",
            get(discussion_pages::show).post(discussion_pages::act),
        )
        .route(
            "/discussion",
            get(discussion_pages::show).post(discussion_pages::act),
        )
        .merge(development())
        .fallback(missing)
        .layer(from_fn(finish))
        .with_state(app)
}

/// The development routes, in development builds only: a production build has none at all.
fn development() -> Router<App> {
    #[cfg(feature = "dev")]
    let routes = crate::handlers::dev_checkout::routes(crate::handlers::dev::routes(Router::new()));
    #[cfg(not(feature = "dev"))]
    let routes = Router::new();
    routes
}

/// The reads almost every visit makes, in JSON only, and an element's page: what the Workers
/// front worker answers itself (kept small, it starts fast). Anything else, or one of these asked
/// in another format, is answered `unrouted()`, which the front passes to the back. Matched here
/// without axum's router, whose code the front then leaves out; the back answers the same paths
/// through `router` (the same handlers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    Health,
    Stats,
    Zones,
    ZoneAt,
    Zone,
    Search,
    Agenda,
    Live,
    Element,
    Page,
    CurrentPage,
}

const READS: [(&str, Read); 15] = [
    ("/api/health", Read::Health),
    ("/api/stats", Read::Stats),
    ("/api/zones", Read::Zones),
    ("/api/zones/at", Read::ZoneAt),
    ("/api/zones/{id}", Read::Zone),
    ("/api/search", Read::Search),
    ("/api/search.json", Read::Search),
    ("/api/agenda", Read::Agenda),
    ("/api/agenda.json", Read::Agenda),
    ("/api/live", Read::Live),
    ("/api/live.json", Read::Live),
    ("/api/elements/{id}", Read::Element),
    ("/e/{slug}", Read::Page),
    ("/e/{slug}/", Read::Page),
    ("/e/{slug}/actuel/", Read::CurrentPage),
];

/// The front's answer to one request: a read it serves, or `unrouted()`.
pub async fn answer_read(app: App, req: http::Request<Body>) -> Response {
    use axum::extract::State;
    if req.method() != Method::GET {
        return respond::unrouted();
    }
    let mut table = matchit::Router::new();
    for (path, read) in READS {
        // The paths above are valid and distinct: an insertion cannot fail.
        let _ = table.insert(path, read);
    }
    let path = req.uri().path().to_string();
    let Ok(found) = table.at(&path) else {
        return respond::unrouted();
    };
    let read = *found.value;
    let mut params = Vec::new();
    for (name, raw) in found.params.iter() {
        // As axum does: a parameter is percent-decoded, and must be UTF-8 (else the back says why).
        match percent_encoding::percent_decode_str(raw).decode_utf8() {
            Ok(value) => params.push((name.to_string(), value.into_owned())),
            Err(_) => return respond::unrouted(),
        }
    }
    let req = crate::request::Req::new(req, params);
    let state = State(app);
    let outcome = match read {
        Read::Health => system::health(state).await,
        Read::Stats => stats::stats(state).await,
        Read::Zones => zones::search(state, req).await,
        Read::ZoneAt => zones::at_point(state, req).await,
        Read::Zone => zones::show_json(state, req).await,
        Read::Search => search::search_json(state, req).await,
        Read::Agenda => search::agenda_json(state, req).await,
        Read::Live => live::feed_json(state, req).await,
        Read::Element => elements::show_json(state, req).await,
        Read::Page => pages::element(state, req).await,
        Read::CurrentPage => pages::current_element(state, req).await,
    };
    let mut response = outcome.into_response();
    if !respond::is_unrouted(&response) {
        decorate(&mut response, path.starts_with("/api/"));
    }
    response
}

/// The routes both routers share.
fn common() -> Router<App> {
    pages::elements(Router::new())
        .route("/api/health", get(system::health))
        .route("/api/stats", get(stats::stats))
        .route("/api/zones", get(zones::search))
        .route("/api/zones/at", get(zones::at_point))
}

/// `router`'s answer to one request (what a host calls for each).
pub async fn answer(mut router: Router, req: http::Request<Body>) -> Response {
    use tower_service::Service;
    match router.call(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// No route for this path: the contract's 404 under `/api/` (marked `unrouted`, which the tests
/// tell apart from a handler's 404), the French page elsewhere.
async fn missing(req: Request) -> Response {
    match req.uri().path().starts_with("/api/") {
        true => respond::unrouted(),
        false => pages::not_found().into_response(),
    }
}

/// Every answer of the router leaves through here: its bare 405 becomes the contract's error
/// body, with the methods the OpenAPI document allows (the front goes without that document,
/// which would double its data: it leaves other methods to the back), then `decorate`.
async fn finish(req: Request, next: Next) -> Response {
    let open_read = matches!(*req.method(), Method::GET | Method::HEAD)
        && req.uri().path().starts_with("/api/");
    let path = req.uri().path().to_string();
    let mut response = next.run(req).await;
    if response.status() == 405 && !response.headers().contains_key(header::CONTENT_TYPE) {
        response = respond::failure(&ApiError::new(ErrorCode::MethodNotAllowed));
        if let Some(methods) = domain::openapi::allowed(system::DOCUMENT, &path) {
            respond::set(&mut response, header::ALLOW, &methods);
        }
    }
    decorate(&mut response, open_read);
    response
}

/// What every answer carries: the security headers, no caching unless the handler chose a
/// policy, and, for an open read, access from any site (never with the reader's cookies).
fn decorate(response: &mut Response, open_read: bool) {
    let headers = response.headers_mut();
    for (name, value) in domain::security::HEADERS {
        let name = HeaderName::from_static(lowercase(name));
        // A page may have chosen its own policy (the embeddable map may be framed).
        if name == header::CONTENT_SECURITY_POLICY && headers.contains_key(&name) {
            continue;
        }
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Only responses that chose a cache policy are cached; everything else is fresh per request.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if open_read {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Link"),
        );
    }
}

/// `domain::security::HEADERS` names, as `HeaderName::from_static` wants them.
const fn lowercase(name: &'static str) -> &'static str {
    match name.as_bytes() {
        b"Content-Security-Policy" => "content-security-policy",
        b"X-Content-Type-Options" => "x-content-type-options",
        b"Referrer-Policy" => "referrer-policy",
        b"Permissions-Policy" => "permissions-policy",
        b"Cross-Origin-Opener-Policy" => "cross-origin-opener-policy",
        _ => "x-unknown",
    }
}
