//! Who may reach the development routes (`/api/dev/*`, compiled only into development builds):
//! the outbox hands out sign-in tokens and the test checkout moves money, so a build that has
//! them still answers them only on this machine and only to the person concerned.

use crate::error::{ApiError, ErrorCode};

/// True for a `Host` (with or without its port) that names this machine: `localhost`,
/// `127.0.0.0/8` or `[::1]`. A page on another site that rebinds its own name to 127.0.0.1
/// still sends its own name as `Host`, so it is refused here (DNS rebinding).
pub fn loopback_host(host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = match host.strip_prefix('[') {
        Some(rest) => return rest.split(']').next() == Some("::1"),
        None => host.rsplit_once(':').map_or(host.as_str(), |(name, port)| {
            match port.chars().all(|c| c.is_ascii_digit()) {
                true => name,
                false => "",
            }
        }),
    };
    if name == "localhost" {
        return true;
    }
    let octets: Vec<&str> = name.split('.').collect();
    octets.len() == 4 && octets[0] == "127" && octets.iter().all(|o| o.parse::<u8>().is_ok())
}

/// A development route answers only in development and for a loopback `Host`; elsewhere it
/// does not exist (404).
pub fn admit(development: bool, host: &str) -> Result<(), ApiError> {
    match development && loopback_host(host) {
        true => Ok(()),
        false => Err(ApiError::new(ErrorCode::NotFound)),
    }
}

/// What belongs to someone (a gift, a pledge) is acted on by that person only, as the real
/// routes do: 401 signed out, and another's is not told apart from none (404). What belongs to
/// no one (a gift made signed out) is reached by whoever holds its id, as a checkout link is.
pub fn owner_only(person: Option<&str>, owner: Option<&str>) -> Result<(), ApiError> {
    match (owner, person) {
        (None, _) => Ok(()),
        (Some(_), None) => Err(ApiError::new(ErrorCode::NotSignedIn)),
        (Some(owner), Some(person)) if owner == person => Ok(()),
        (Some(_), Some(_)) => Err(ApiError::new(ErrorCode::NotFound)),
    }
}

/// A proposal is moved to its next phase by its author or an instance admin.
pub fn may_advance(
    person: Option<&str>,
    instance_admin: bool,
    author: Option<&str>,
) -> Result<(), ApiError> {
    match person {
        None => Err(ApiError::new(ErrorCode::NotSignedIn)),
        Some(_) if instance_admin => Ok(()),
        Some(person) if author == Some(person) => Ok(()),
        Some(_) => Err(ApiError::new(ErrorCode::Forbidden)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_loopback() {
        for host in [
            "localhost",
            "localhost:8787",
            "127.0.0.1",
            "127.0.0.1:8787",
            "127.3.2.1",
            "[::1]:8787",
            "[::1]",
            "LOCALHOST:1",
        ] {
            assert!(loopback_host(host), "{host}");
        }
        for host in [
            "evil.example:8787",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "128.0.0.1",
            "127.0.0.1:abc",
            "",
            "[::2]:8787",
            "0.0.0.0:8787",
            "back",
        ] {
            assert!(!loopback_host(host), "{host}");
        }
    }

    #[test]
    fn a_development_route_is_absent_elsewhere() {
        assert!(admit(true, "127.0.0.1:8787").is_ok());
        assert_eq!(admit(false, "127.0.0.1:8787").unwrap_err().status(), 404);
        assert_eq!(
            admit(true, "rebound.example:8787").unwrap_err().status(),
            404
        );
    }

    #[test]
    fn what_is_someones_is_theirs_alone() {
        assert!(owner_only(Some("p_a"), Some("p_a")).is_ok());
        assert!(
            owner_only(None, None).is_ok(),
            "a signed-out gift: whoever holds its id"
        );
        assert_eq!(owner_only(None, Some("p_a")).unwrap_err().status(), 401);
        assert_eq!(
            owner_only(Some("p_b"), Some("p_a")).unwrap_err().status(),
            404
        );
    }

    #[test]
    fn a_proposal_is_advanced_by_its_author_or_an_admin() {
        assert!(may_advance(Some("p_a"), false, Some("p_a")).is_ok());
        assert!(may_advance(Some("p_b"), true, Some("p_a")).is_ok());
        assert_eq!(
            may_advance(Some("p_b"), false, Some("p_a"))
                .unwrap_err()
                .status(),
            403
        );
        assert_eq!(
            may_advance(Some("p_b"), false, None).unwrap_err().status(),
            403
        );
        assert_eq!(
            may_advance(None, true, Some("p_a")).unwrap_err().status(),
            401
        );
    }
}
