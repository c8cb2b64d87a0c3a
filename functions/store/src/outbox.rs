//! The development outbox: mails that would have been sent.

/// ?1 to, ?2 subject, ?3 body, ?4 token, ?5 code, ?6 now, ?7 unsubscribe address
pub const INSERT: &str = "INSERT INTO outbox (to_email, subject, body, token, code, created_at, \
     unsubscribe) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// Newest first. ?1 limit
pub const LATEST: &str = "SELECT id, to_email AS \"to\", subject, body, token, code, created_at, unsubscribe FROM outbox \
     ORDER BY id DESC LIMIT ?1";

/// Messages sent to one address, for their export. ?1 email
pub const OF_EMAIL: &str = "SELECT subject, strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at \
     FROM outbox WHERE to_email = ?1 ORDER BY id";

/// A kept message as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub token: Option<String>,
    pub code: Option<String>,
    pub created_at: i64,
    pub unsubscribe: Option<String>,
}

/// Keeps a message that would have been sent, with its sign-in secrets for the developer.
pub fn insert(
    message: &domain::mail::Message,
    token: &str,
    code: &str,
    now: i64,
) -> crate::db::Statement {
    use crate::db::{int, text};
    let args = vec![
        text(&message.to),
        text(&message.subject),
        text(&message.body),
        text(token),
        text(code),
        int(now),
        crate::db::opt_text(message.unsubscribe.as_deref()),
    ];
    crate::db::Statement::new(INSERT, args)
}

/// The newest messages.
pub fn latest(limit: i64) -> crate::db::Query<OutboxRow> {
    crate::db::Query::new(LATEST, vec![crate::db::int(limit)])
}

/// Messages sent to one address, for their export.
pub fn of_email(email: &str) -> crate::db::Statement {
    crate::db::Statement::new(OF_EMAIL, vec![crate::db::text(email)])
}
