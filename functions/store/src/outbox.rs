//! The development outbox: mails that would have been sent.

/// ?1 to, ?2 subject, ?3 body, ?4 token, ?5 code, ?6 now
pub const INSERT: &str = "INSERT INTO outbox (to_email, subject, body, token, code, created_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Newest first. ?1 limit
pub const LATEST: &str = "SELECT id, to_email AS \"to\", subject, body, token, code, created_at FROM outbox \
     ORDER BY id DESC LIMIT ?1";

/// Messages sent to one address, for their export. ?1 email
pub const OF_EMAIL: &str = "SELECT subject, strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at \
     FROM outbox WHERE to_email = ?1 ORDER BY id";
