//! What the server answers: the application's router (`app::router`) for the API, and the
//! pre-rendered site from its folder for the rest, the application answering any path no file
//! answers (a page rendered on demand, or the French 404 page) — as the Workers host, whose
//! static assets come first and whose worker answers what they do not.
//!
//! Files go with their type, their precompressed `.br`/`.gz` sibling when the client takes it,
//! `index.html` for a folder, ranges and conditional requests (tower-http's `ServeDir`), a cache
//! policy by kind (`cache_policy`), and the same security headers as the application's answers
//! (`domain::security::HEADERS`). Each request reaches the application with the address its
//! client used (`Public`), and no answer carries the Workers' internal `Communs-Stale-Page`.

use app::App;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use http::{HeaderName, HeaderValue, StatusCode, header};
use std::convert::Infallible;
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// A pre-rendered page: fresh within minutes of a new build.
pub const PAGE: &str = "public, max-age=300";
/// An asset whose name carries its content's hash: it never changes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Another asset (`/assets/site.css`, `/assets/js/api.js`): its name stays across releases, so
/// it is kept an hour, then revalidated (`Last-Modified`).
pub const ASSET: &str = "public, max-age=3600";
/// The service worker's script: a browser must see a new release at once.
pub const REVALIDATE: &str = "no-cache";

/// Every route: the API and the site in `site` (a folder that may be missing: then the
/// application answers everything, the pages with its 404).
pub fn service(app: App, site: &Path) -> Router {
    let public = Public::of(&app.config.site_url);
    let router = app::router(app);
    // The application reads each request with the address its client used.
    let api = tower::service_fn(move |mut req: Request| {
        public.address(&mut req);
        router.clone().oneshot(req)
    });
    let files = ServeDir::new(site)
        .precompressed_br()
        .precompressed_gzip()
        // A form posted to a page's address is the application's to answer, not a 405 here.
        .call_fallback_on_method_not_allowed(true)
        .fallback(api.clone());
    let dispatch = tower::service_fn(move |req: Request| {
        let (api, files) = (api.clone(), files.clone());
        async move {
            let response = match for_the_application(req.uri().path()) {
                true => api.oneshot(req).await?,
                false => files.oneshot(req).await?.map(Body::new),
            };
            Ok::<Response, Infallible>(response)
        }
    });
    Router::new()
        .fallback_service(dispatch)
        .layer(from_fn(finish))
}

/// The site's public scheme and authority (SITE_URL's), to give each request the address its
/// client used. The application reads a request's origin from its address (`Req::site_origin`,
/// which a write's `Origin` must equal); on Workers that address is the one the client used, but
/// here requests come from the reverse proxy in plain HTTP with a path alone. A request whose
/// `Host` is SITE_URL's was addressed to the site, so it gets SITE_URL's scheme (`https` behind
/// Caddy); any other (`curl http://127.0.0.1:8787/…` on the machine) keeps `http`.
#[derive(Clone)]
struct Public {
    scheme: http::uri::Scheme,
    authority: Option<String>,
}

impl Public {
    fn of(site_url: &str) -> Public {
        let uri: Option<http::Uri> = site_url.parse().ok();
        let scheme = uri
            .as_ref()
            .and_then(|u| u.scheme().cloned())
            .unwrap_or(http::uri::Scheme::HTTP);
        let authority = uri
            .as_ref()
            .and_then(|u| u.authority())
            .map(|a| a.as_str().to_ascii_lowercase());
        Public { scheme, authority }
    }

    /// Makes `req`'s URI absolute: `scheme://Host/path?query`.
    fn address(&self, req: &mut Request) {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| req.uri().authority().map(|a| a.to_string()));
        let Some(host) = host else { return };
        let scheme = match self.authority.as_deref() {
            Some(site) if site.eq_ignore_ascii_case(&host) => self.scheme.clone(),
            _ => http::uri::Scheme::HTTP,
        };
        let path = req
            .uri()
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/"));
        let absolute = http::Uri::builder()
            .scheme(scheme)
            .authority(host.as_str())
            .path_and_query(path)
            .build();
        // A Host that is no authority (spaces, a path) leaves the request as it came.
        if let Ok(uri) = absolute {
            *req.uri_mut() = uri;
        }
    }
}

/// The API, and the Workers' own files of the site folder (`_headers`), which are not pages.
fn for_the_application(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/_")
}

/// Every answer leaves through here: the security headers where the application has not set
/// them, and a cache policy on a static answer (the application always sets its own).
async fn finish(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut response = next.run(req).await;
    let status = response.status();
    let headers = response.headers_mut();
    // Between the two Workers only (the front's cache): nothing for a client here.
    headers.remove(app::respond::STALE_PAGE);
    headers.remove(app::respond::STALE_MEDIA);
    for (name, value) in domain::security::HEADERS {
        let name = HeaderName::try_from(name).expect("a valid header name");
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    // The generator writes UTF-8; say so, as the application does for its own answers.
    let text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| is_text(t) && !t.contains("charset"))
        .map(|t| format!("{t}; charset=utf-8"));
    if let Some(value) = text.and_then(|t| HeaderValue::try_from(t).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let cached = matches!(
            status,
            StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
        );
        let policy = if cached {
            cache_policy(&path)
        } else {
            "no-store"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/javascript"
                | "application/json"
                | "application/manifest+json"
                | "image/svg+xml"
        )
}

/// The cache policy of a static file by its path.
pub fn cache_policy(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    if path == "/sw.js" {
        REVALIDATE
    } else if path.starts_with("/assets/") {
        match hashed(name) {
            true => IMMUTABLE,
            false => ASSET,
        }
    } else {
        PAGE
    }
}

/// Whether a file's name carries a content hash: `name.3f9a1c2b.js`, `name-3f9a1c2b.css`.
fn hashed(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.rsplit(['.', '-'])
        .next()
        .filter(|part| part.len() != stem.len())
        .is_some_and(|part| part.len() >= 8 && part.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_file_has_its_cache_policy() {
        assert_eq!(cache_policy("/"), PAGE);
        assert_eq!(cache_policy("/carte/"), PAGE);
        assert_eq!(cache_policy("/manifest.webmanifest"), PAGE);
        assert_eq!(cache_policy("/sw.js"), REVALIDATE);
        assert_eq!(cache_policy("/assets/site.css"), ASSET);
        assert_eq!(cache_policy("/assets/js/api.js"), ASSET);
        assert_eq!(cache_policy("/assets/js/map-builder.js"), ASSET);
        assert_eq!(cache_policy("/assets/site.3f9a1c2b.css"), IMMUTABLE);
        assert_eq!(cache_policy("/assets/js/app-48416f0d20cf.js"), IMMUTABLE);
    }

    #[test]
    fn the_api_and_the_workers_files_go_to_the_application() {
        assert!(for_the_application("/api/health"));
        assert!(for_the_application("/api"));
        assert!(for_the_application("/_headers"));
        assert!(!for_the_application("/apiculture/"));
        assert!(!for_the_application("/"));
    }
}
