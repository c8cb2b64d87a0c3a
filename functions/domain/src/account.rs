//! Passwordless sign-in and sessions: the rules, with time and randomness passed in.

use crate::error::{ApiError, ErrorCode};

/// A sign-in link or code works for 15 minutes, once.
pub const SIGN_IN_TTL_SECS: i64 = 15 * 60;
/// Wrong codes typed against one sign-in before it is burnt.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// A session lasts 30 days from its last use...
pub const SESSION_IDLE_SECS: i64 = 30 * 24 * 3600;
/// ...and never more than 180 days from sign-in.
pub const SESSION_ABSOLUTE_SECS: i64 = 180 * 24 * 3600;
/// Sliding the expiry costs a write, so it is done at most once a day per session.
pub const SESSION_REFRESH_SECS: i64 = 24 * 3600;

pub const SESSION_COOKIE: &str = "session";
/// A harmless companion cookie, readable by scripts, that only says "someone is signed in" so
/// pages skip asking `/api/me` for anonymous visitors. It grants nothing.
pub const SIGNED_IN_HINT_COOKIE: &str = "signed_in";

/// Lower-cases and checks an address. Only the shape is checked: a mail that arrives proves the rest.
pub fn normalize_email(input: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::on_field(ErrorCode::InvalidEmail, "email");
    let email = input.trim().to_lowercase();
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty() || local.len() > 64 || domain.contains('@') || !domain.contains('.') {
        return Err(invalid());
    }
    if !labels_ok || domain.chars().any(|c| "()<>[]\\,;:\"".contains(c)) {
        return Err(invalid());
    }
    Ok(email)
}

/// A session as stored: times in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimes {
    pub expires_at: i64,
    pub absolute_expires_at: i64,
    pub refreshed_at: i64,
}

impl SessionTimes {
    pub fn start(now: i64) -> Self {
        SessionTimes {
            expires_at: now + SESSION_IDLE_SECS,
            absolute_expires_at: now + SESSION_ABSOLUTE_SECS,
            refreshed_at: now,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum SessionCheck {
    Expired,
    Valid,
    /// Valid, and its expiry slides to these times (a write is due).
    Refresh(SessionTimes),
}

pub fn check_session(times: SessionTimes, now: i64) -> SessionCheck {
    if now >= times.expires_at || now >= times.absolute_expires_at {
        return SessionCheck::Expired;
    }
    if now - times.refreshed_at < SESSION_REFRESH_SECS {
        return SessionCheck::Valid;
    }
    SessionCheck::Refresh(SessionTimes {
        expires_at: (now + SESSION_IDLE_SECS).min(times.absolute_expires_at),
        absolute_expires_at: times.absolute_expires_at,
        refreshed_at: now,
    })
}

/// The `Set-Cookie` value for a new session, or an empty one that clears it (`None`).
pub fn session_cookie(token: Option<&str>, max_age: i64) -> String {
    let (value, age) = match token {
        Some(token) => (token, max_age),
        None => ("", 0),
    };
    format!("{SESSION_COOKIE}={value}; Path=/; Max-Age={age}; HttpOnly; Secure; SameSite=Lax")
}

/// The `Set-Cookie` values to send on sign-in (`Some(token)`) or sign-out (`None`).
pub fn session_cookies(token: Option<&str>) -> [String; 2] {
    let age = if token.is_some() {
        SESSION_ABSOLUTE_SECS
    } else {
        0
    };
    let hint = if token.is_some() { "1" } else { "" };
    [
        session_cookie(token, age),
        format!("{SIGNED_IN_HINT_COOKIE}={hint}; Path=/; Max-Age={age}; Secure; SameSite=Lax"),
    ]
}

/// The session token from a `Cookie` header, if any.
pub fn session_from_cookies(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value)
}

/// Whether an address is one of the instance's admins (`ADMIN_EMAILS`, comma-separated).
pub fn is_instance_admin(email: &str, admin_emails: &str) -> bool {
    instance_admins(admin_emails)
        .iter()
        .any(|admin| admin == email)
}

/// The instance's admins' addresses (`ADMIN_EMAILS`, comma-separated), normalized.
pub fn instance_admins(admin_emails: &str) -> Vec<String> {
    admin_emails
        .split(',')
        .filter_map(|a| normalize_email(a).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            normalize_email("  Camille.Martin@Exemple.FR ").unwrap(),
            "camille.martin@exemple.fr"
        );
        for bad in [
            "",
            "sans-arobase",
            "@exemple.fr",
            "a@",
            "a@b",
            "a b@exemple.fr",
            "a@@exemple.fr",
            "a@exemple..fr",
            "a@-exemple.fr",
        ] {
            let error = normalize_email(bad).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidEmail, "{bad}");
            assert_eq!(error.field.as_deref(), Some("email"));
        }
        assert!(normalize_email(&format!("{}@exemple.fr", "a".repeat(65))).is_err());
    }

    #[test]
    fn a_session_expires_when_idle_or_past_its_absolute_limit() {
        let start = SessionTimes::start(1_000);
        assert_eq!(check_session(start, 1_000), SessionCheck::Valid);
        assert_eq!(
            check_session(start, 1_000 + SESSION_IDLE_SECS),
            SessionCheck::Expired
        );
        let late = SessionTimes {
            expires_at: 10_000_000,
            absolute_expires_at: 5_000,
            refreshed_at: 4_000,
        };
        assert_eq!(check_session(late, 5_000), SessionCheck::Expired);
    }

    #[test]
    fn use_slides_the_expiry_at_most_daily_and_never_past_the_absolute_limit() {
        let start = SessionTimes::start(0);
        assert_eq!(
            check_session(start, SESSION_REFRESH_SECS - 1),
            SessionCheck::Valid
        );
        let day = SESSION_REFRESH_SECS;
        assert_eq!(
            check_session(start, day),
            SessionCheck::Refresh(SessionTimes {
                expires_at: day + SESSION_IDLE_SECS,
                absolute_expires_at: SESSION_ABSOLUTE_SECS,
                refreshed_at: day,
            })
        );
        let near_end = SessionTimes {
            expires_at: SESSION_ABSOLUTE_SECS - 10,
            absolute_expires_at: SESSION_ABSOLUTE_SECS,
            refreshed_at: SESSION_ABSOLUTE_SECS - 2 * day,
        };
        match check_session(near_end, SESSION_ABSOLUTE_SECS - 20) {
            SessionCheck::Refresh(times) => assert_eq!(times.expires_at, SESSION_ABSOLUTE_SECS),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cookie_is_http_only_secure_and_lax() {
        let cookie = session_cookie(Some("abc"), 60);
        assert_eq!(
            cookie,
            "session=abc; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax"
        );
        assert!(session_cookie(None, 60).starts_with("session=; Path=/; Max-Age=0;"));
    }

    #[test]
    fn sign_in_sets_the_session_and_a_script_readable_hint_and_sign_out_clears_both() {
        let [session, hint] = session_cookies(Some("abc"));
        assert!(session.starts_with("session=abc;") && session.contains("HttpOnly"));
        assert!(hint.starts_with("signed_in=1;") && !hint.contains("HttpOnly"));
        assert!(!hint.contains("abc"));
        for cleared in session_cookies(None) {
            assert!(cleared.contains("Max-Age=0;"), "{cleared}");
        }
    }

    #[test]
    fn reads_the_session_among_other_cookies() {
        assert_eq!(session_from_cookies("a=1; session=xyz; b=2"), Some("xyz"));
        assert_eq!(session_from_cookies("sessionx=1; a=2"), None);
        assert_eq!(session_from_cookies("session="), None);
    }

    #[test]
    fn admins_come_from_the_configured_list() {
        let admins = " Admin@Communs.test, treso@communs.test";
        assert!(is_instance_admin("admin@communs.test", admins));
        assert!(is_instance_admin("treso@communs.test", admins));
        assert!(!is_instance_admin("autre@communs.test", admins));
        assert!(!is_instance_admin("admin@communs.test", ""));
    }
}
