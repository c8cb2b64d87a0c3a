//! Abuse limits: fixed-window counters kept in D1 so they hold across isolates. The edge bumps
//! a counter in one statement; these rules name the counters and read the verdict.

use crate::error::{ApiError, ErrorCode};
use crate::secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Names the counter, e.g. `sign_in_email`.
    pub name: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// Sign-in mails asked for one address.
pub const SIGN_IN_PER_EMAIL: Limit = Limit {
    name: "sign_in_email",
    max: 5,
    window_secs: 15 * 60,
};
/// Sign-in mails asked from one client.
pub const SIGN_IN_PER_CLIENT: Limit = Limit {
    name: "sign_in_client",
    max: 20,
    window_secs: 15 * 60,
};
/// Verification attempts from one client.
pub const VERIFY_PER_CLIENT: Limit = Limit {
    name: "verify_client",
    max: 30,
    window_secs: 15 * 60,
};

/// Where a deployment learns the client's address, for the limits kept per client: set
/// explicitly (`CLIENT_ADDRESS`), since a header is only as trustworthy as what sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAddress {
    /// `CF-Connecting-IP`: behind Cloudflare, which sets it and overwrites a client's own.
    Cloudflare,
    /// The last address of `X-Forwarded-For`: the one the reverse proxy in front (Caddy,
    /// nginx) appended. Earlier ones are the client's to write, so never read.
    ForwardedFor,
    /// No trusted source: every client counts in one bucket. Stricter, never bypassed.
    Shared,
}

impl ClientAddress {
    /// From the `CLIENT_ADDRESS` setting: `cf-connecting-ip`, `x-forwarded-for` or `none`.
    /// Absent or unknown, the safe choice: one shared bucket.
    pub fn from_setting(setting: Option<&str>) -> ClientAddress {
        match setting.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("cf-connecting-ip") => ClientAddress::Cloudflare,
            Some("x-forwarded-for") => ClientAddress::ForwardedFor,
            _ => ClientAddress::Shared,
        }
    }

    /// The key a client's limits count under, from the request's headers (`header(name)`).
    /// A request without the trusted header counts with every other such request.
    pub fn key(self, header: impl Fn(&str) -> Option<String>) -> String {
        let address = match self {
            ClientAddress::Cloudflare => header("CF-Connecting-IP"),
            ClientAddress::ForwardedFor => header("X-Forwarded-For")
                .and_then(|list| list.rsplit(',').next().map(|a| a.trim().to_string())),
            ClientAddress::Shared => None,
        };
        address
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "shared".to_string())
    }
}

/// Posts written by one person.
pub const POSTS_PER_PERSON: Limit = Limit {
    name: "posts_person",
    max: 30,
    window_secs: 60 * 60,
};

/// Comments written by one person: as many as posts.
pub const COMMENTS_PER_PERSON: Limit = Limit {
    name: "comments_person",
    max: 30,
    window_secs: 60 * 60,
};

/// Reports filed by one person (of posts and comments).
pub const REPORTS_PER_PERSON: Limit = Limit {
    name: "reports_person",
    max: 30,
    window_secs: 60 * 60,
};

/// Pictures added by one person.
pub const PICTURES_PER_PERSON: Limit = Limit {
    name: "pictures_person",
    max: 60,
    window_secs: 60 * 60,
};

/// One counter to bump: its key and the start of the current window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub window_start: i64,
}

impl Limit {
    /// The counter for `subject` (an address or a client) at `now`. The subject is hashed so
    /// that no address or IP is kept in the counters.
    pub fn counter(&self, subject: &str, now: i64) -> Counter {
        Counter {
            key: format!("{}:{}", self.name, &secret::hash(subject)[..32]),
            window_start: now - now.rem_euclid(self.window_secs),
        }
    }

    /// The verdict once the counter reads `count` (this request included).
    pub fn verdict(&self, count: i64, window_start: i64, now: i64) -> Result<(), ApiError> {
        if count <= self.max {
            return Ok(());
        }
        let retry_after = (window_start + self.window_secs - now).max(1);
        Err(ApiError::new(ErrorCode::TooManyRequests).retry_after(retry_after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_s_address_comes_only_from_the_source_the_deployment_trusts() {
        let headers = |name: &str| match name {
            "CF-Connecting-IP" => Some("203.0.113.7".to_string()),
            "X-Forwarded-For" => Some("6.6.6.6, 198.51.100.2".to_string()),
            _ => None,
        };
        let cloudflare = ClientAddress::from_setting(Some("cf-connecting-ip"));
        assert_eq!(cloudflare.key(headers), "203.0.113.7");
        let proxied = ClientAddress::from_setting(Some(" X-Forwarded-For "));
        assert_eq!(
            proxied.key(headers),
            "198.51.100.2",
            "the proxy's own entry, not the client's forged first one"
        );
        for unset in [None, Some(""), Some("true-client-ip"), Some("none")] {
            assert_eq!(ClientAddress::from_setting(unset).key(headers), "shared");
        }
        assert_eq!(
            cloudflare.key(|_| None),
            "shared",
            "no header: the shared bucket"
        );
    }

    #[test]
    fn counters_share_a_window_and_hide_the_subject() {
        let a = SIGN_IN_PER_EMAIL.counter("camille@exemple.fr", 1_000);
        let b = SIGN_IN_PER_EMAIL.counter("camille@exemple.fr", 1_799);
        assert_eq!(a, b);
        assert_eq!(a.window_start, 900);
        assert!(!a.key.contains("camille"));
        assert!(a.key.starts_with("sign_in_email:"));
        let next = SIGN_IN_PER_EMAIL.counter("camille@exemple.fr", 1_800);
        assert_eq!(next.window_start, 1_800);
        assert_ne!(
            a.key,
            SIGN_IN_PER_CLIENT.counter("camille@exemple.fr", 1_000).key
        );
    }

    #[test]
    fn the_request_past_the_limit_waits_for_the_window_to_end() {
        let limit = SIGN_IN_PER_EMAIL;
        assert!(limit.verdict(limit.max, 900, 1_000).is_ok());
        let error = limit.verdict(limit.max + 1, 900, 1_000).unwrap_err();
        assert_eq!(error.code, ErrorCode::TooManyRequests);
        assert_eq!(error.status(), 429);
        assert_eq!(error.retry_after, Some(800));
    }
}
