//! Sending mail through one interface with two implementations: the development outbox (a D1
//! table read at `GET /api/dev/outbox`) and, when deployed, an HTTP mail API configured by secrets.

use crate::config::{Config, MailApi};
use crate::repo;
use domain::error::{ApiError, ErrorCode};
use domain::mail::Message;
use serde_json::json;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

pub enum Mailer<'a> {
    /// Local development: nothing leaves the machine.
    Outbox,
    Http(&'a MailApi),
}

/// What a sign-in mail carries besides its text, kept by the outbox for the developer.
pub struct Secrets<'a> {
    pub token: &'a str,
    pub code: &'a str,
}

impl<'a> Mailer<'a> {
    /// The instance's mailer; outside development an HTTP API must be configured.
    pub fn of(config: &'a Config) -> Result<Mailer<'a>, ApiError> {
        match (&config.mail, config.development) {
            (_, true) => Ok(Mailer::Outbox),
            (Some(api), false) => Ok(Mailer::Http(api)),
            (None, false) => {
                worker::console_error!(
                    "mail: no API configured (MAIL_API_URL, MAIL_API_KEY, MAIL_FROM)"
                );
                Err(ApiError::new(ErrorCode::Unavailable))
            }
        }
    }

    pub async fn send(
        &self,
        env: &Env,
        message: &Message,
        secrets: Secrets<'_>,
    ) -> Result<(), ApiError> {
        match self {
            Mailer::Outbox => repo::outbox::insert(env, message, secrets.token, secrets.code).await,
            Mailer::Http(api) => post(api, message).await,
        }
    }
}

/// Posts `{from, to, subject, text}` with a bearer key; the key is never logged.
async fn post(api: &MailApi, message: &Message) -> Result<(), ApiError> {
    let fail = |what: &str| {
        worker::console_error!("mail API: {what}");
        ApiError::new(ErrorCode::Unavailable)
    };
    let body = json!({
        "from": api.from,
        "to": [message.to],
        "subject": message.subject,
        "text": message.body,
    });
    let headers = Headers::new();
    headers
        .set("Authorization", &format!("Bearer {}", api.key))
        .and_then(|_| headers.set("Content-Type", "application/json"))
        .map_err(|_| fail("headers"))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.to_string().into()));
    let request = Request::new_with_init(&api.url, &init).map_err(|_| fail("request"))?;
    let response = Fetch::Request(request)
        .send()
        .await
        .map_err(|_| fail("unreachable"))?;
    if !(200..300).contains(&response.status_code()) {
        return Err(fail(&format!("status {}", response.status_code())));
    }
    Ok(())
}
