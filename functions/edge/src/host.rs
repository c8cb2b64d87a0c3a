//! This host's side of the application's ports: D1 for the database, workerd's clock and
//! `crypto.getRandomValues`, wrangler's vars and secrets; and the way a request reaches the
//! application's router and comes back.

use app::App;
use app::ports::{Clock, Later, Outbound, PageCache, Random, Reply, page_cache};
use js_sys::{JSON, Reflect};
use std::sync::Arc;
use store::db::{Cost, Database, DbError, Pending, Rows, Statement};
use store::search::Arg;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use worker::send::{SendFuture, SendWrapper};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{Cache, D1Database, Env, Request, Response, Result};

/// The application on this request's bindings.
pub fn app(env: &Env) -> Result<App> {
    app::log::install(|line| worker::console_error!("{line}"));
    let config = crate::config::from_env(env);
    let (fetch, mailer) = outbound(&config);
    Ok(App {
        db: Arc::new(D1(SendWrapper::new(env.d1("DB")?))),
        clock: Arc::new(Workerd),
        random: Arc::new(Workerd),
        config: Arc::new(config),
        pages: Arc::new(EdgeCache),
        fetch,
        mailer,
        media: media(env),
    })
}

/// The back's picture storage: the R2 bucket `MEDIA`. The front has none (the back serves
/// pictures; the data centre's cache keeps them).
#[cfg(not(feature = "front"))]
fn media(env: &Env) -> Arc<dyn app::ports::Objects> {
    match env.bucket("MEDIA") {
        Ok(bucket) => Arc::new(crate::media::Bucket(SendWrapper::new(bucket))),
        Err(error) => {
            worker::console_error!("no R2 bucket MEDIA: {error}");
            Arc::new(app::ports::NoObjects)
        }
    }
}

#[cfg(feature = "front")]
fn media(_env: &Env) -> Arc<dyn app::ports::Objects> {
    Arc::new(app::ports::NoObjects)
}

/// The way out to other services and the mailer: the back's; the front, which writes nothing,
/// reaches none.
#[cfg(not(feature = "front"))]
fn outbound(
    config: &app::config::Config,
) -> (
    Arc<dyn app::ports::Fetch>,
    Option<Arc<dyn app::ports::Mailer>>,
) {
    let fetch: Arc<dyn app::ports::Fetch> = Arc::new(Workerd);
    let mailer = config.mail.clone().map(|api| {
        let mail = app::mail::HttpMail {
            api,
            fetch: fetch.clone(),
        };
        Arc::new(mail) as Arc<dyn app::ports::Mailer>
    });
    (fetch, mailer)
}

#[cfg(feature = "front")]
fn outbound(
    _config: &app::config::Config,
) -> (
    Arc<dyn app::ports::Fetch>,
    Option<Arc<dyn app::ports::Mailer>>,
) {
    (Arc::new(app::ports::NoFetch), None)
}

/// D1, single-threaded like the whole worker: its futures are wrapped to say they are `Send`.
struct D1(SendWrapper<D1Database>);

fn bound(args: &[Arg]) -> Vec<JsValue> {
    args.iter()
        .map(|a| match a {
            Arg::Text(t) => JsValue::from_str(t),
            // D1 takes JS numbers.
            Arg::Int(i) => JsValue::from_f64(*i as f64),
            Arg::Real(r) => JsValue::from_f64(*r),
            Arg::Null => JsValue::NULL,
        })
        .collect()
}

fn failed(error: worker::Error) -> DbError {
    DbError {
        message: error.to_string(),
    }
}

impl Database for D1 {
    fn all(&self, statement: Statement) -> Pending<'_, Rows> {
        Box::pin(SendFuture::new(async move {
            let prepared = self
                .0
                .prepare(statement.sql.as_ref())
                .bind(&bound(&statement.args))
                .map_err(failed)?;
            let promise = prepared.inner().all().map_err(js_failed)?;
            let result = JsFuture::from(promise).await.map_err(js_failed)?;
            rows_of(&result)
        }))
    }

    fn batch(&self, statements: Vec<Statement>) -> Pending<'_, Vec<Rows>> {
        Box::pin(SendFuture::new(async move {
            let prepared = statements
                .iter()
                .map(|s| self.0.prepare(s.sql.as_ref()).bind(&bound(&s.args)))
                .collect::<Result<Vec<_>>>()
                .map_err(failed)?;
            // Through the binding itself: workers-rs's results hide the raw values.
            let list: js_sys::Array = prepared.iter().map(|p| JsValue::from(p.inner())).collect();
            let binding: &worker::worker_sys::D1Database = self.0.as_ref().unchecked_ref();
            let promise = binding.batch(list).map_err(js_failed)?;
            let results = JsFuture::from(promise).await.map_err(js_failed)?;
            js_sys::Array::from(&results)
                .iter()
                .map(|r| rows_of(&r))
                .collect()
        }))
    }
}

fn js_failed(error: JsValue) -> DbError {
    failed(worker::Error::from(error))
}

/// A D1 result's rows as one JSON text (`JSON.stringify` in the runtime: the cheapest way out
/// of JavaScript), and what D1 says reading them cost.
fn rows_of(result: &JsValue) -> std::result::Result<Rows, DbError> {
    let field = |object: &JsValue, name: &str| Reflect::get(object, &JsValue::from_str(name));
    let results = field(result, "results").map_err(js_failed)?;
    let count = js_sys::Array::from(&results).length() as usize;
    let rows = match count {
        0 => "[]".to_string(),
        _ => JSON::stringify(&results)
            .map_err(js_failed)?
            .as_string()
            .unwrap_or_else(|| "[]".into()),
    };
    let meta = field(result, "meta").unwrap_or(JsValue::UNDEFINED);
    let number = |name: &str| field(&meta, name).ok().and_then(|v| v.as_f64());
    let cost = Cost {
        rows_read: number("rows_read").unwrap_or(0.0) as usize,
        rows_returned: count,
        sql_ms: number("duration").unwrap_or(0.0),
    };
    Ok(Rows { rows, cost })
}

struct Workerd;

impl Clock for Workerd {
    fn now(&self) -> i64 {
        crate::platform::now()
    }
}

impl app::ports::Fetch for Workerd {
    fn fetch(&self, request: Outbound) -> Later<'_, std::result::Result<Reply, String>> {
        Box::pin(SendFuture::new(async move {
            let url = request.url.clone();
            let reached = async {
                let headers = worker::Headers::new();
                for (name, value) in &request.headers {
                    headers.set(name, value)?;
                }
                let mut init = worker::RequestInit::new();
                init.with_method(worker::Method::from(request.method.as_str().to_string()))
                    .with_headers(headers);
                if let Some(body) = request.body {
                    init.with_body(Some(body.into()));
                }
                let sent = Request::new_with_init(&request.url, &init)?;
                let mut response = worker::Fetch::Request(sent).send().await?;
                let body = response.bytes().await.unwrap_or_default();
                Ok::<_, worker::Error>(Reply {
                    status: response.status_code(),
                    body,
                })
            };
            // Only the address: the headers hold secrets.
            reached.await.map_err(|error| format!("{url}: {error}"))
        }))
    }
}

impl Random for Workerd {
    fn fill(&self, bytes: &mut [u8]) {
        crate::platform::fill_random(bytes);
    }
}

/// The data centre's cache (the Cache API) for rendered pages: each worker has its own, so the
/// back names in a header the page a write made stale and the front forgets it
/// (`app::respond::STALE_PAGE`).
struct EdgeCache;

impl PageCache for EdgeCache {
    fn get<'a>(&'a self, key: &'a str) -> Later<'a, Option<String>> {
        Box::pin(SendFuture::new(async move {
            let mut cached = Cache::default().get(key, true).await.ok().flatten()?;
            cached.text().await.ok()
        }))
    }

    fn put<'a>(&'a self, key: &'a str, html: &'a str) -> Later<'a, ()> {
        Box::pin(SendFuture::new(async move {
            let stored = Response::from_html(html).and_then(|response| {
                let headers = response.headers();
                headers.set("Cache-Control", page_cache::MAX_AGE)?;
                Ok(response)
            });
            let result = match stored {
                Ok(response) => Cache::default().put(key, response).await,
                Err(error) => Err(error),
            };
            if let Err(error) = result {
                worker::console_warn!("page cache: {error}");
            }
        }))
    }

    fn forget<'a>(&'a self, key: &'a str) -> Later<'a, ()> {
        Box::pin(SendFuture::new(async move {
            let _ = Cache::default().delete(key, true).await;
        }))
    }
}
