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
