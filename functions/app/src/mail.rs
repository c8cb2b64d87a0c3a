//! Sending mail: a development instance keeps it in its outbox (`GET /api/dev/outbox`); any
//! other sends it through the host's mailer (SMTP on one machine) or an HTTP mail API.

use crate::config::MailApi;
use crate::ports::{Fetch, Later, Mailer, Outbound};
use crate::{App, repo};
use domain::error::{ApiError, ErrorCode};
use domain::mail::Message;
use serde_json::json;
use std::sync::Arc;

/// What a sign-in mail carries besides its text, kept by the outbox for the developer.
#[derive(Default)]
pub struct Secrets<'a> {
    pub token: &'a str,
    pub code: &'a str,
}

/// Sends `message`; 503 when this instance has no way to (said in the operator's log).
pub async fn send(app: &App, message: &Message, secrets: Secrets<'_>) -> Result<(), ApiError> {
    if app.config.development {
        return repo::outbox::insert(app, message, secrets.token, secrets.code).await;
    }
    let Some(mailer) = &app.mailer else {
        crate::log::error(
            "mail: none configured (SMTP_URL, or MAIL_API_URL, MAIL_API_KEY, MAIL_FROM)",
        );
        return Err(ApiError::new(ErrorCode::Unavailable));
    };
    mailer.send(message).await.map_err(|cause| {
        crate::log::error(&format!("mail: {cause}"));
        ApiError::new(ErrorCode::Unavailable)
    })
}

/// An HTTP mail API that takes `{from, to, subject, text}` with a bearer key (Resend's shape).
pub struct HttpMail {
    pub api: MailApi,
    pub fetch: Arc<dyn Fetch>,
}

impl Mailer for HttpMail {
    fn send<'a>(&'a self, message: &'a Message) -> Later<'a, Result<(), String>> {
        Box::pin(async move {
            let body = json!({
                "from": self.api.from,
                "to": [message.to],
                "subject": message.subject,
                "text": message.body,
            });
            let request = Outbound {
                method: http::Method::POST,
                url: self.api.url.clone(),
                headers: vec![
                    // The key is never logged: only the status is.
                    ("Authorization".into(), format!("Bearer {}", self.api.key)),
                    ("Content-Type".into(), "application/json".into()),
                ],
                body: Some(body.to_string()),
            };
            let reply = self.fetch.fetch(request).await?;
            match reply.status {
                200..=299 => Ok(()),
                status => Err(format!("the mail API answered {status}")),
            }
        })
    }
}
