//! List parameters shared by every list endpoint.

use crate::error::{ApiError, ErrorCode};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// `?limit=`: 1 to 100, 20 when absent.
pub fn limit(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw {
        None => Ok(DEFAULT_LIMIT),
        Some(raw) => match raw.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiError::on_field(ErrorCode::InvalidField, "limit")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_and_bounds() {
        assert_eq!(limit(None).unwrap(), 20);
        assert_eq!(limit(Some("100")).unwrap(), 100);
        for bad in ["0", "101", "-1", "dix", ""] {
            assert_eq!(
                limit(Some(bad)).unwrap_err().field.as_deref(),
                Some("limit"),
                "{bad}"
            );
        }
    }
}
