//! What a host provides the application: its database, clock, randomness and configuration.
//! Each is a small trait so that a test or a host swaps one without touching the handlers.

use crate::config::Config;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
pub use store::db::Database;

/// What a port's asynchronous call returns.
pub type Later<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The time, in Unix seconds.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

/// Cryptographically secure random bytes (tokens, ids).
pub trait Random: Send + Sync {
    fn fill(&self, bytes: &mut [u8]);
}

/// An HTTP request to another service (the payment provider, a mail API).
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    pub method: http::Method,
    pub url: String,
    /// Secrets travel here (a bearer key): a host never logs them.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// Its answer: the status and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The way out to other services: `Err` only when no answer came (unreachable, timed out),
/// described for the operator's log.
pub trait Fetch: Send + Sync {
    fn fetch(&self, request: Outbound) -> Later<'_, Result<Reply, String>>;
}

/// A host that reaches no other service (the Workers front: every write is the back's).
pub struct NoFetch;

impl Fetch for NoFetch {
    fn fetch(&self, request: Outbound) -> Later<'_, Result<Reply, String>> {
        Box::pin(std::future::ready(Err(format!(
            "{}: no outbound call here",
            request.url
        ))))
    }
}

/// A mail to send; the host's mailer (SMTP on one machine) or `crate::mail`'s HTTP API.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, message: &'a domain::mail::Message) -> Later<'a, Result<(), String>>;
}

/// Rendered pages kept until what they show changes (the Workers edge cache). A failure only
/// costs a later render, so nothing here returns an error.
pub trait PageCache: Send + Sync {
    fn get<'a>(&'a self, key: &'a str) -> Later<'a, Option<String>>;
    fn put<'a>(&'a self, key: &'a str, html: &'a str) -> Later<'a, ()>;
    fn forget<'a>(&'a self, key: &'a str) -> Later<'a, ()>;
}

/// No page cache: every page is rendered when asked (SQLite on the same machine answers fast).
pub struct NoPageCache;

impl PageCache for NoPageCache {
    fn get<'a>(&'a self, _key: &'a str) -> Later<'a, Option<String>> {
        Box::pin(std::future::ready(None))
    }
    fn put<'a>(&'a self, _key: &'a str, _html: &'a str) -> Later<'a, ()> {
        Box::pin(std::future::ready(()))
    }
    fn forget<'a>(&'a self, _key: &'a str) -> Later<'a, ()> {
        Box::pin(std::future::ready(()))
    }
}

/// Object storage for pictures' bytes (an R2 bucket on Workers, a folder on one machine), by
/// key. `Err` says why, for the operator's log.
pub trait Objects: Send + Sync {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        content_type: &'a str,
    ) -> Later<'a, Result<(), String>>;
    fn get<'a>(&'a self, key: &'a str) -> Later<'a, Result<Option<Vec<u8>>, String>>;
    /// Deleting what is not there succeeds.
    fn delete<'a>(&'a self, key: &'a str) -> Later<'a, Result<(), String>>;
}

/// No storage (the Workers front, which passes pictures to the back).
pub struct NoObjects;

impl Objects for NoObjects {
    fn put<'a>(&'a self, key: &'a str, _: Vec<u8>, _: &'a str) -> Later<'a, Result<(), String>> {
        Box::pin(std::future::ready(Err(format!("{key}: no storage here"))))
    }
    fn get<'a>(&'a self, _: &'a str) -> Later<'a, Result<Option<Vec<u8>>, String>> {
        Box::pin(std::future::ready(Ok(None)))
    }
    fn delete<'a>(&'a self, key: &'a str) -> Later<'a, Result<(), String>> {
        Box::pin(std::future::ready(Err(format!("{key}: no storage here"))))
    }
}

/// Storage in memory (the application's tests).
#[cfg(test)]
#[derive(Default)]
pub struct MemoryObjects(pub std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

#[cfg(test)]
impl Objects for MemoryObjects {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        _: &'a str,
    ) -> Later<'a, Result<(), String>> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(key.to_string(), bytes);
        Box::pin(std::future::ready(Ok(())))
    }
    fn get<'a>(&'a self, key: &'a str) -> Later<'a, Result<Option<Vec<u8>>, String>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        Box::pin(std::future::ready(Ok(map.get(key).cloned())))
    }
    fn delete<'a>(&'a self, key: &'a str) -> Later<'a, Result<(), String>> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
        Box::pin(std::future::ready(Ok(())))
    }
}

pub mod page_cache {
    /// How long another data centre may show a page after a change.
    pub const MAX_AGE: &str = "public, max-age=300";

    /// One key per element page, whatever the trailing slash or query string.
    pub fn key(site: &str, slug: &str) -> String {
        format!("{site}/e/{slug}/")
    }
}

/// Everything a handler may use besides the request: cheap to clone (shared handles).
#[derive(Clone)]
pub struct App {
    pub db: Arc<dyn Database>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    pub config: Arc<Config>,
    pub pages: Arc<dyn PageCache>,
    pub fetch: Arc<dyn Fetch>,
    /// How mail leaves, when configured (development builds keep it in the outbox instead).
    pub mailer: Option<Arc<dyn Mailer>>,
    /// Where pictures' bytes are kept.
    pub media: Arc<dyn Objects>,
}

impl App {
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// A fresh random token (sessions, sign-in links, ids).
    pub fn token(&self) -> String {
        let mut bytes = [0u8; domain::secret::TOKEN_BYTES];
        self.random.fill(&mut bytes);
        domain::secret::token(&bytes)
    }
}
