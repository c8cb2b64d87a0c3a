//! The application's way out to other services (`app::ports::Fetch`: Stripe's API, an HTTP mail
//! API) and its mailer on this machine. Requests go through a small blocking HTTPS client
//! (ureq, rustls with Mozilla's root certificates) on tokio's blocking threads. Mail goes through
//! SMTP (`crate::smtp`) when SMTP_URL and MAIL_FROM are set, else through the application's HTTP
//! mail API adapter (`app::mail::HttpMail`) when MAIL_API_URL, MAIL_API_KEY and MAIL_FROM are, as
//! on the Workers host.

use app::ports::{Fetch, Later, Mailer, Outbound, Reply};
use std::sync::Arc;
use std::time::Duration;

/// The longest a request to another service may take, answer included.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// The most of an answer that is read (an API's JSON, never a download).
pub const MAX_BODY: u64 = 10 * 1024 * 1024;

pub struct Client {
    agent: ureq::Agent,
}

impl Client {
    pub fn new() -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            // A 4xx or 5xx is an answer the application reads, not a failure to reach.
            .http_status_as_error(false)
            .user_agent(concat!("communs/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client { agent }
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Fetch for Client {
    fn fetch(&self, request: Outbound) -> Later<'_, Result<Reply, String>> {
        let agent = self.agent.clone();
        Box::pin(async move {
            let url = request.url.clone();
            tokio::task::spawn_blocking(move || send(&agent, request))
                .await
                .map_err(|e| format!("{url}: {e}"))?
        })
    }
}

fn send(agent: &ureq::Agent, request: Outbound) -> Result<Reply, String> {
    // Only the address in a failure: the headers hold secrets.
    let url = request.url.clone();
    let fail = |e: &dyn std::fmt::Display| format!("{url}: {e}");
    let mut builder = http::Request::builder()
        .method(request.method)
        .uri(&request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let answered = match request.body {
        Some(body) => agent.run(builder.body(body).map_err(|e| fail(&e))?),
        None => agent.run(builder.body(()).map_err(|e| fail(&e))?),
    };
    let mut response = answered.map_err(|e| fail(&e))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| fail(&e))?;
    Ok(Reply { status, body })
}

/// The instance's mailer from its settings: SMTP when SMTP_URL is set (it wins over an HTTP mail
/// API also configured), else the HTTP mail API when configured, else none (the application then
/// answers 503 where it would send, and says why in the log). A setting that cannot be read is
/// said in the log (never with its password), and leaves no mailer.
pub fn mailer(
    settings: &crate::settings::Settings,
    config: &app::config::Config,
    fetch: Arc<dyn Fetch>,
) -> Option<Arc<dyn Mailer>> {
    if let Some(url) = settings.get(SMTP_URL) {
        let from = settings.get("MAIL_FROM").unwrap_or_default();
        return match crate::smtp::Smtp::new(&url, &from, &config.site_url) {
            Ok(smtp) => {
                crate::log::info(&format!(
                    "mail: SMTP {}, from {}",
                    smtp.endpoint().shown(),
                    smtp.from()
                ));
                Some(Arc::new(smtp))
            }
            Err(error) => {
                crate::log::error(&format!("mail: {error}; no mail can leave"));
                None
            }
        };
    }
    config.mail.clone().map(|api| {
        crate::log::info(&format!("mail: HTTP API {}, from {}", api.url, api.from));
        let mail = app::mail::HttpMail { api, fetch };
        Arc::new(mail) as Arc<dyn Mailer>
    })
}

/// The setting that names the SMTP server.
pub const SMTP_URL: &str = "SMTP_URL";

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_goes_out_with_its_headers_and_body_and_any_status_comes_back() {
        let echo = axum::Router::new().route(
            "/echo",
            post(|headers: http::HeaderMap, body: String| async move {
                let key = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                (http::StatusCode::ACCEPTED, format!("{key}|{body}"))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let served = tokio::spawn(async move { axum::serve(listener, echo).await });

        let client = Client::new();
        let reply = client
            .fetch(Outbound {
                method: http::Method::POST,
                url: format!("http://{address}/echo"),
                headers: vec![("Authorization".into(), "Bearer k".into())],
                body: Some("{\"to\":\"a@b.fr\"}".into()),
            })
            .await
            .unwrap();
        assert_eq!(reply.status, 202);
        assert_eq!(reply.body, b"Bearer k|{\"to\":\"a@b.fr\"}");

        let missing = client
            .fetch(Outbound {
                method: http::Method::GET,
                url: format!("http://{address}/nothing"),
                headers: vec![],
                body: None,
            })
            .await
            .unwrap();
        assert_eq!(missing.status, 404, "a status is an answer, not a failure");
        served.abort();

        // Nothing listens on port 9 (discard) here: no answer is an Err naming the address.
        let unreachable = client
            .fetch(Outbound {
                method: http::Method::GET,
                url: "http://127.0.0.1:9/".into(),
                headers: vec![("Authorization".into(), "Bearer secret".into())],
                body: None,
            })
            .await
            .unwrap_err();
        assert!(
            unreachable.starts_with("http://127.0.0.1:9/"),
            "{unreachable}"
        );
        assert!(!unreachable.contains("secret"));
    }
}
