//! Sending mail, through one of two mailers: the development outbox (a D1 table, written with
//! the sign-in in one batch) or, when deployed, an HTTP mail API configured by secrets.

use crate::config::MailApi;
use domain::error::{ApiError, ErrorCode};
use domain::mail::Message;
use serde_json::json;
use worker::{Fetch, Headers, Method, Request, RequestInit};

/// Sends through the HTTP API; the key is never logged.
pub async fn send(api: &MailApi, message: &Message) -> Result<(), ApiError> {
    let body = json!({
        "from": api.from,
        "to": [message.to],
        "subject": message.subject,
        "text": message.body,
    });
    let headers = Headers::new();
    let fail = |what: &str| {
        worker::console_error!("mail API: {what}");
        ApiError::new(ErrorCode::Unavailable)
    };
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
