//! One person, one vote: when a second ballot replaces the first, and when it is refused. A
//! ballot is never added to another; the statements enforce one per person (a key), and these
//! rules say what a second one means.

use crate::error::{ApiError, ErrorCode};

/// A second open ballot (the first is found by its voter) replaces the first only when the
/// proposal lets votes change; else 409 on `ballot`.
pub fn replace_open(changeable: bool) -> Result<(), ApiError> {
    match changeable {
        true => Ok(()),
        false => Err(ApiError::on_field(ErrorCode::Conflict, "ballot")),
    }
}

/// What a secret ballot sent with `receipt` (or without) does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretCast {
    /// A first ballot (a second, without its receipt, is refused by the statement: 409).
    First,
    /// Replaces the ballot this receipt names, which keeps it: a secret ballot cannot be found
    /// by its voter, only by its receipt.
    Replace(String),
}

/// A secret ballot: with a receipt, it replaces the one the receipt names, only when the
/// proposal lets votes change (else 409 on `receipt`); without, it is a first ballot.
pub fn secret(changeable: bool, receipt: Option<&str>) -> Result<SecretCast, ApiError> {
    match receipt.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(SecretCast::First),
        Some(_) if !changeable => Err(ApiError::on_field(ErrorCode::Conflict, "receipt")),
        Some(receipt) => Ok(SecretCast::Replace(receipt.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_ballot_is_replaced_only_where_votes_may_change() {
        assert!(replace_open(true).is_ok());
        let refused = replace_open(false).unwrap_err();
        assert_eq!(
            (refused.code, refused.field.as_deref()),
            (ErrorCode::Conflict, Some("ballot"))
        );
    }

    #[test]
    fn a_secret_ballot_is_replaced_by_its_receipt_only_where_votes_may_change() {
        assert_eq!(secret(true, None).unwrap(), SecretCast::First);
        assert_eq!(
            secret(false, Some("  ")).unwrap(),
            SecretCast::First,
            "a blank receipt is none"
        );
        assert_eq!(
            secret(true, Some(" r-1 ")).unwrap(),
            SecretCast::Replace("r-1".into())
        );
        let refused = secret(false, Some("r-1")).unwrap_err();
        assert_eq!(
            (refused.code, refused.field.as_deref()),
            (ErrorCode::Conflict, Some("receipt"))
        );
    }
}
