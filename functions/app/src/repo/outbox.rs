//! The development outbox: mail a development instance keeps instead of sending.

use super::{query, run};
use crate::App;
use domain::error::ApiError;
use domain::mail::Message;
use serde::Serialize;

/// One message of the development outbox, as `GET /api/dev/outbox` shows it.
#[derive(Serialize)]
pub struct OutboxItem {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub token: Option<String>,
    pub code: Option<String>,
    pub created_at: String,
    /// The headers a notification's mail carried for one-click unsubscribe (RFC 8058).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<serde_json::Value>,
}

/// The newest messages of the development outbox.
pub async fn latest(app: &App, limit: i64) -> Result<Vec<OutboxItem>, ApiError> {
    let rows = query(app, store::outbox::latest(limit), "outbox").await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxItem {
            id: r.id,
            to: r.to,
            subject: r.subject,
            body: r.body,
            token: r.token,
            code: r.code,
            created_at: domain::time::rfc3339(r.created_at),
            headers: r.unsubscribe.map(|url| {
                let headers = domain::mail::unsubscribe_headers(&url);
                serde_json::Value::Object(
                    headers
                        .into_iter()
                        .map(|(name, value)| (name.to_string(), value.into()))
                        .collect(),
                )
            }),
        })
        .collect())
}

/// Keeps a message that would have been sent, with its sign-in secrets for the developer.
pub async fn insert(app: &App, message: &Message, token: &str, code: &str) -> Result<(), ApiError> {
    let kept = store::outbox::insert(message, token, code, app.now());
    run(app, kept, "outbox").await
}
