//! Cross-site request forgery: a write that rides on the session cookie must come from a page of
//! this site. Browsers send `Origin` on every cross-site write; `Referer` stands in when it is absent.

use crate::error::{ApiError, ErrorCode};

/// Checks a write. `site` is the origin the request was addressed to (scheme, host and port).
/// A write carrying the session cookie with neither header is refused: browsers always send one.
pub fn check_write(
    site: &str,
    origin: Option<&str>,
    referer: Option<&str>,
    has_session_cookie: bool,
) -> Result<(), ApiError> {
    let claimed = match (origin, referer) {
        (Some(origin), _) if origin != "null" => Some(origin.to_string()),
        (_, Some(referer)) => Some(origin_of(referer)),
        (Some(_), None) => Some(String::from("null")),
        (None, None) => None,
    };
    match claimed {
        Some(claimed) if claimed.eq_ignore_ascii_case(site) => Ok(()),
        Some(_) => Err(ApiError::new(ErrorCode::ForeignOrigin)),
        None if has_session_cookie => Err(ApiError::new(ErrorCode::ForeignOrigin)),
        None => Ok(()),
    }
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "https://communs.example";

    #[test]
    fn same_origin_writes_pass() {
        assert!(check_write(SITE, Some(SITE), None, true).is_ok());
        assert!(check_write(SITE, None, Some("https://communs.example/profil/"), true).is_ok());
    }

    #[test]
    fn foreign_or_opaque_origins_are_refused() {
        for origin in ["https://evil.example", "http://communs.example", "null"] {
            let error = check_write(SITE, Some(origin), None, true).unwrap_err();
            assert_eq!(error.code, ErrorCode::ForeignOrigin);
            assert_eq!(error.status(), 403);
        }
        assert!(check_write(SITE, None, Some("https://communs.example.evil.fr/"), false).is_err());
    }

    #[test]
    fn a_cookie_write_without_any_origin_is_refused_but_a_cookieless_one_passes() {
        assert!(check_write(SITE, None, None, true).is_err());
        assert!(check_write(SITE, None, None, false).is_ok());
    }

    #[test]
    fn origin_of_keeps_scheme_host_and_port() {
        assert_eq!(
            origin_of("http://127.0.0.1:8787/a/b?c#d"),
            "http://127.0.0.1:8787"
        );
        assert_eq!(origin_of("pas une url"), "");
    }
}
