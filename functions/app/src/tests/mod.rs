//! The application served in-process against SQLite with the schema of record: the handlers,
//! the router and the statements as a host runs them, without a host.

mod accounts;
mod cooperation;
mod document;
mod elements;
mod funding;
mod imports;
mod pages;
mod reads;
mod writes;

use crate::config::Config;
use crate::ports::{Clock, Random};
use crate::{App, router};
use axum::body::Body;
use std::sync::Arc;
use store::native::{Connection, Sqlite};
use tower::ServiceExt;

/// 2026-12-05T12:00:00Z.
pub const NOW: i64 = 1_796_472_000;

struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> i64 {
        NOW
    }
}

/// Not random at all: a test's tokens must differ, not be secret.
struct Counter(std::sync::atomic::AtomicU8);

impl Random for Counter {
    fn fill(&self, bytes: &mut [u8]) {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes.iter_mut().for_each(|b| *b = n);
    }
}

/// No other service answers (a test that needs one gives its own `Fetch`).
pub struct Unreachable;

impl crate::ports::Fetch for Unreachable {
    fn fetch(
        &self,
        request: crate::ports::Outbound,
    ) -> crate::ports::Later<'_, Result<crate::ports::Reply, String>> {
        Box::pin(std::future::ready(Err(format!(
            "{} is unreachable in tests",
            request.url
        ))))
    }
}

pub fn app_on(db: Connection, settings: &[(&str, &str)]) -> App {
    let settings: Vec<(String, String)> = settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    App {
        db: Arc::new(Sqlite::new(db)),
        clock: Arc::new(Fixed),
        random: Arc::new(Counter(Default::default())),
        config: Arc::new(Config::from_lookup(|name| {
            settings
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })),
        pages: Arc::new(crate::ports::NoPageCache),
        fetch: Arc::new(Unreachable),
        mailer: None,
        media: Arc::new(crate::ports::MemoryObjects::default()),
    }
}

/// A database with La Réunion's zones and two elements in Saint-Paul.
pub fn seeded() -> Connection {
    let mut db = store::native::fresh_in_memory();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region, population) VALUES \
         ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04', 105000), \
         ('commune:97416', 'commune', '97416', 'Saint-Pierre', 'saint pierre', '974', '04', 85000), \
         ('postal:97460', 'postal', '97460', 'Saint-Paul', 'saint paul', '974', '04', NULL), \
         ('departement:974', 'departement', '974', 'La Réunion', 'la reunion', '974', '04', NULL), \
         ('region:04', 'region', '04', 'La Réunion', 'la reunion', NULL, '04', NULL); \
         INSERT INTO zone_postal (postal_code, commune_code) VALUES ('97460', '97415');",
    )
    .expect("zones");
    use store::search::Arg::{Real, Text};
    for (id, name, lat, lon) in [
        ("vrac", "Épicerie du Vrac", -21.0096, 55.2713),
        ("jardin", "Jardin partagé", -21.02, 55.28),
    ] {
        let geohash = domain::geo::Point { lat, lon }.geohash(9);
        let args = vec![
            Text(id.into()),
            Text(name.into()),
            Real(lat),
            Real(lon),
            Text(geohash),
        ];
        store::native::batch(&mut db, &[(ELEMENT, args)]).expect("element");
    }
    db
}

const ELEMENT: &str = "INSERT INTO element (id, slug, kind, type, name, tags, commune_code, \
     postal_code, departement, region, lat, lon, geohash, created_at, updated_at) VALUES \
     (?1, ?1, 'organization', 'NGO', ?2, '[]', '97415', '97460', '974', '04', ?3, ?4, ?5, 1, 1)";

/// An answer, read whole.
pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// `method uri` with `headers` and `body`, through the whole router.
pub async fn call(
    app: &App,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut req = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let req = req
        .body(Body::from(body.to_string()))
        .expect("a valid request");
    let response = router(app.clone()).oneshot(req).await.expect("infallible");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

pub async fn get(app: &App, uri: &str) -> Answer {
    call(app, "GET", uri, &[], "").await
}

/// Signs `email` in (a person `p_` + its local part, and a live session) and gives the `Cookie` header that carries it.
pub fn signed_in(db: &mut Connection, email: &str) -> String {
    use store::search::Arg::{Int, Text};
    let token = format!("token-of-{email}");
    // The id is the address's local part: `p_ana` for ana@example.org.
    let local = email.split('@').next().unwrap_or(email);
    let person = vec![Text(format!("p_{local}")), Text(email.into()), Int(NOW)];
    let session = vec![
        Text(domain::secret::hash(&token)),
        Text(email.into()),
        Int(NOW),
        Int(NOW + 3600),
        Int(NOW + 86_400),
    ];
    store::native::batch(
        db,
        &[
            (store::accounts::INSERT_PERSON, person),
            (store::accounts::INSERT_SESSION, session),
        ],
    )
    .expect("a person and a session");
    format!("{}={token}", domain::account::SESSION_COOKIE)
}

/// A write from the site's own page: JSON, from its origin, with `cookie` ("" when signed out).
pub async fn write(app: &App, method: &str, path: &str, cookie: &str, body: &str) -> Answer {
    let headers = [
        ("Content-Type", "application/json"),
        ("Origin", "http://communs.test"),
        ("Host", "communs.test"),
        ("Cookie", cookie),
    ];
    call(app, method, path, &headers, body).await
}
