//! People, sign-in links and codes, sessions. Times are Unix seconds.

/// ?1 token_hash, ?2 code_hash, ?3 email, ?4 now, ?5 expires_at
pub const INSERT_SIGN_IN: &str = "INSERT INTO sign_in (token_hash, code_hash, email, created_at, expires_at) \
     VALUES (?1, ?2, ?3, ?4, ?5)";

/// Uses a link once: only one caller can flip `used_at`. ?1 now, ?2 token_hash
pub const USE_SIGN_IN_TOKEN: &str = "UPDATE sign_in SET used_at = ?1 \
     WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1 RETURNING email";

/// Uses a typed code once, unless too many wrong ones were typed. ?1 now, ?2 email, ?3 code_hash, ?4 max attempts
pub const USE_SIGN_IN_CODE: &str = "UPDATE sign_in SET used_at = ?1 \
     WHERE email = ?2 AND code_hash = ?3 AND used_at IS NULL AND expires_at > ?1 \
     AND failed_attempts < ?4 RETURNING email";

/// Counts a wrong code against the address's live sign-ins. ?1 now, ?2 email
pub const FAIL_SIGN_IN_CODE: &str = "UPDATE sign_in SET failed_attempts = failed_attempts + 1 \
     WHERE email = ?2 AND used_at IS NULL AND expires_at > ?1";

/// Creates the person on first sign-in. ?1 id, ?2 email, ?3 now
pub const INSERT_PERSON: &str = "INSERT INTO person (id, email, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) \
     ON CONFLICT (email) DO NOTHING";

/// ?1 token_hash, ?2 email, ?3 now, ?4 expires_at, ?5 absolute_expires_at
pub const INSERT_SESSION: &str = "INSERT INTO session (token_hash, person_id, created_at, refreshed_at, expires_at, absolute_expires_at) \
     SELECT ?1, id, ?3, ?3, ?4, ?5 FROM person WHERE email = ?2";

/// ?1 email
pub const PERSON_BY_EMAIL: &str = "SELECT id, email, display_name, home_scope, public_fields, created_at, updated_at \
     FROM person WHERE email = ?1";

/// The signed-in person and their session's times. ?1 token_hash
pub const PERSON_BY_SESSION: &str = "SELECT p.id, p.email, p.display_name, p.home_scope, p.public_fields, \
     p.created_at, p.updated_at, s.expires_at, s.absolute_expires_at, s.refreshed_at \
     FROM session s JOIN person p ON p.id = s.person_id WHERE s.token_hash = ?1";

/// Slides a session's expiry. ?1 token_hash, ?2 refreshed_at, ?3 expires_at
pub const REFRESH_SESSION: &str =
    "UPDATE session SET refreshed_at = ?2, expires_at = ?3 WHERE token_hash = ?1";

/// ?1 token_hash
pub const DELETE_SESSION: &str = "DELETE FROM session WHERE token_hash = ?1";

/// ?1 id, ?2 display_name, ?3 home_scope, ?4 public_fields (JSON), ?5 now
pub const UPDATE_PROFILE: &str = "UPDATE person SET display_name = ?2, home_scope = ?3, public_fields = ?4, \
     updated_at = ?5 WHERE id = ?1";

/// A person's sessions, for their export (no token hashes). ?1 person id
pub const SESSIONS_OF_PERSON: &str = "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at, \
     strftime('%Y-%m-%dT%H:%M:%SZ', refreshed_at, 'unixepoch') AS refreshed_at, \
     strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, 'unixepoch') AS expires_at FROM session \
     WHERE person_id = ?1 ORDER BY created_at";

/// A person's sign-in requests, for their export (no hashes). ?1 email
pub const SIGN_INS_OF_EMAIL: &str = "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at, \
     strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, 'unixepoch') AS expires_at, \
     strftime('%Y-%m-%dT%H:%M:%SZ', used_at, 'unixepoch') AS used_at FROM sign_in \
     WHERE email = ?1 ORDER BY created_at";

/// ?1 person
pub const EMAIL_OF: &str = "SELECT email FROM person WHERE id = ?1";

/// Erasing an account, run in this order in one batch. ?1 person id
pub const ERASE_PERSON: [&str; 5] = [
    "DELETE FROM session WHERE person_id = ?1",
    // Promises not yet kept end with the person; charged pledges stay, without them.
    "UPDATE pledge SET status = 'withdrawn' WHERE person_id = ?1 AND status IN ('pending', 'committed')",
    "DELETE FROM sign_in WHERE email = (SELECT email FROM person WHERE id = ?1)",
    "DELETE FROM outbox WHERE to_email = (SELECT email FROM person WHERE id = ?1)",
    "DELETE FROM person WHERE id = ?1",
];

/// Sign-in requests past their expiry are useless; the scheduled clean-up drops them. ?1 now
pub const PURGE_EXPIRED: [&str; 2] = [
    "DELETE FROM sign_in WHERE expires_at <= ?1",
    "DELETE FROM session WHERE expires_at <= ?1 OR absolute_expires_at <= ?1",
];

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PersonRow {
    pub id: String,
    pub email: String,
    pub display_name: Option<String>,
    pub home_scope: Option<String>,
    pub public_fields: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<PersonRow> for domain::profile::Person {
    fn from(row: PersonRow) -> domain::profile::Person {
        domain::profile::Person {
            id: row.id,
            email: row.email,
            profile: domain::profile::Profile {
                display_name: row.display_name,
                home_scope: row.home_scope,
                public_fields: domain::profile::parse_public_fields(&row.public_fields),
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The signed-in person and their session's times.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct SessionRow {
    #[serde(flatten)]
    pub person: PersonRow,
    pub expires_at: i64,
    pub absolute_expires_at: i64,
    pub refreshed_at: i64,
}

/// An address a statement gave back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct EmailRow {
    pub email: String,
}

/// People, sign-ins and sessions, bound and decoded.
pub mod people {
    use super::*;
    use crate::db::{Query, Statement, int, opt_text, text};
    use domain::account::SessionTimes;
    use domain::profile::Profile;

    /// A pending sign-in: its link's and its code's hashes, for `email`.
    pub fn create_sign_in(
        token_hash: &str,
        code_hash: &str,
        email: &str,
        now: i64,
        expires_at: i64,
    ) -> Statement {
        let args = vec![
            text(token_hash),
            text(code_hash),
            text(email),
            int(now),
            int(expires_at),
        ];
        Statement::new(INSERT_SIGN_IN, args)
    }

    /// Uses a live link, once: the address it was for.
    pub fn use_token(token_hash: &str, now: i64) -> Query<EmailRow> {
        Query::new(USE_SIGN_IN_TOKEN, vec![int(now), text(token_hash)])
    }

    /// Uses a typed code, once, unless too many wrong ones were typed.
    pub fn use_code(email: &str, code_hash: &str, max_attempts: i64, now: i64) -> Query<EmailRow> {
        let args = vec![int(now), text(email), text(code_hash), int(max_attempts)];
        Query::new(USE_SIGN_IN_CODE, args)
    }

    /// Counts a wrong code against the address's live sign-ins.
    pub fn fail_code(email: &str, now: i64) -> Statement {
        Statement::new(FAIL_SIGN_IN_CODE, vec![int(now), text(email)])
    }

    /// The person, created on first sign-in.
    pub fn insert_person(id: &str, email: &str, now: i64) -> Statement {
        Statement::new(INSERT_PERSON, vec![text(id), text(email), int(now)])
    }

    pub fn insert_session(
        session_hash: &str,
        email: &str,
        times: SessionTimes,
        now: i64,
    ) -> Statement {
        let args = vec![
            text(session_hash),
            text(email),
            int(now),
            int(times.expires_at),
            int(times.absolute_expires_at),
        ];
        Statement::new(INSERT_SESSION, args)
    }

    pub fn by_email(email: &str) -> Query<PersonRow> {
        Query::new(PERSON_BY_EMAIL, vec![text(email)])
    }

    pub fn by_session(session_hash: &str) -> Query<SessionRow> {
        Query::new(PERSON_BY_SESSION, vec![text(session_hash)])
    }

    /// Slides a session's expiry.
    pub fn refresh_session(session_hash: &str, times: SessionTimes) -> Statement {
        let args = vec![
            text(session_hash),
            int(times.refreshed_at),
            int(times.expires_at),
        ];
        Statement::new(REFRESH_SESSION, args)
    }

    pub fn delete_session(session_hash: &str) -> Statement {
        Statement::new(DELETE_SESSION, vec![text(session_hash)])
    }

    pub fn update_profile(id: &str, profile: &Profile, now: i64) -> Statement {
        let fields = serde_json::to_string(&profile.public_fields).unwrap_or_else(|_| "[]".into());
        let args = vec![
            text(id),
            opt_text(profile.display_name.as_deref()),
            opt_text(profile.home_scope.as_deref()),
            text(&fields),
            int(now),
        ];
        Statement::new(UPDATE_PROFILE, args)
    }

    pub fn email_of(person: &str) -> Query<EmailRow> {
        Query::new(EMAIL_OF, vec![text(person)])
    }

    /// A person's sessions, for their export (no token hashes).
    pub fn sessions_of(person: &str) -> Statement {
        Statement::new(SESSIONS_OF_PERSON, vec![text(person)])
    }

    /// An address's sign-in requests, for their export (no hashes).
    pub fn sign_ins_of(email: &str) -> Statement {
        Statement::new(SIGN_INS_OF_EMAIL, vec![text(email)])
    }

    /// Erasing a person, in order, for one batch.
    pub fn erase(person: &str) -> Vec<Statement> {
        ERASE_PERSON
            .iter()
            .map(|sql| Statement::new(*sql, vec![text(person)]))
            .collect()
    }

    /// Dropping expired sign-ins and sessions.
    pub fn purge_expired(now: i64) -> Vec<Statement> {
        PURGE_EXPIRED
            .iter()
            .map(|sql| Statement::new(*sql, vec![int(now)]))
            .collect()
    }
}
