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

/// Where this instance's mail goes.
enum Way<'a> {
    /// Development: nothing leaves the machine.
    Outbox,
    Mailer(&'a dyn Mailer),
}

/// This instance's way to send mail; 503 when it has none (said in the operator's log).
fn way(app: &App) -> Result<Way<'_>, ApiError> {
    if app.config.development {
        return Ok(Way::Outbox);
    }
    let Some(mailer) = &app.mailer else {
        crate::log::error(
            "mail: none configured (SMTP_URL, or MAIL_API_URL, MAIL_API_KEY, MAIL_FROM)",
        );
        return Err(ApiError::new(ErrorCode::Unavailable));
    };
    Ok(Way::Mailer(mailer.as_ref()))
}

/// 503 when this instance has no way to send mail: asked before a write that a mail must
/// follow (a sign-in), so that nothing is recorded for a mail that cannot leave.
pub fn ready(app: &App) -> Result<(), ApiError> {
    way(app).map(|_| ())
}

/// Sends `message`; 503 when this instance has no way to (said in the operator's log).
pub async fn send(app: &App, message: &Message, secrets: Secrets<'_>) -> Result<(), ApiError> {
    let mailer = match way(app)? {
        Way::Outbox => {
            return repo::outbox::insert(app, message, secrets.token, secrets.code).await;
        }
        Way::Mailer(mailer) => mailer,
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
            let mut body = json!({
                "from": self.api.from,
                "to": [message.to],
                "subject": message.subject,
                "text": message.body,
            });
            if let Some(url) = &message.unsubscribe {
                let headers = domain::mail::unsubscribe_headers(url);
                body["headers"] = headers
                    .into_iter()
                    .map(|(name, value)| (name.to_string(), json!(value)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
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
