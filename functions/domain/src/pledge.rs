//! Pledges: what a backer may promise, how a pledge is shown to them, and when a failed charge
//! is tried again.

use crate::error::{ApiError, ErrorCode};
use crate::funding::PledgeStatus;
use serde::{Deserialize, Serialize};

/// One euro, as for gifts.
pub const MIN_CENTS: i64 = crate::donation::MIN_CENTS;
/// How many times a charge is tried before it is left to the treasurer.
pub const MAX_ATTEMPTS: i64 = 4;

/// `POST /api/features/{id}/pledges`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PledgeInput {
    pub amount_cents: i64,
}

impl PledgeInput {
    /// A pledge is at least a euro and at most the feature's goal.
    pub fn check(self, goal_cents: i64) -> Result<i64, ApiError> {
        if !(MIN_CENTS..=goal_cents.min(crate::donation::MAX_CENTS)).contains(&self.amount_cents) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "amount_cents"));
        }
        Ok(self.amount_cents)
    }
}

/// `POST /api/pledges/{id}/move`: a released pledge goes to another feature.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    pub feature_id: String,
}

/// An `Idempotency-Key` header: what a client sends to make a retried request count once.
pub fn idempotency_key(header: Option<&str>) -> Result<Option<String>, ApiError> {
    match header.map(str::trim) {
        None | Some("") => Ok(None),
        Some(key) if key.len() <= 255 && key.chars().all(|c| c.is_ascii_graphic()) => {
            Ok(Some(key.to_string()))
        }
        Some(_) => Err(ApiError::on_field(
            ErrorCode::InvalidField,
            "Idempotency-Key",
        )),
    }
}

/// A pledge as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct PledgeRow {
    pub id: String,
    pub feature_id: String,
    pub person_id: Option<String>,
    pub amount_cents: i64,
    pub currency: String,
    pub status: PledgeStatus,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub last_error: Option<String>,
    /// The provider's payment, once one exists for this pledge.
    pub charge_ref: Option<String>,
    pub created_at: i64,
    #[serde(default)]
    pub feature_title: Option<String>,
}

/// A pledge as its backer sees it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PledgeView {
    pub id: String,
    pub feature_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_title: Option<String>,
    pub amount_cents: i64,
    pub currency: String,
    pub status: PledgeStatus,
    pub created_at: String,
    /// Why the last charge failed, and when it is tried again (none: left to the treasurer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
}

impl PledgeRow {
    pub fn view(&self) -> PledgeView {
        let failed = self.status == PledgeStatus::ChargeFailed;
        PledgeView {
            id: self.id.clone(),
            feature_id: self.feature_id.clone(),
            feature_title: self.feature_title.clone(),
            amount_cents: self.amount_cents,
            currency: self.currency.clone(),
            status: self.status,
            created_at: crate::time::rfc3339(self.created_at),
            charge_error: self.last_error.clone().filter(|_| failed),
            next_attempt_at: self
                .next_attempt_at
                .filter(|_| failed)
                .map(crate::time::rfc3339),
        }
    }

    /// The ledger's reference for money about this pledge (an id, never a person).
    pub fn reference(&self) -> String {
        format!("pledge:{}", self.id)
    }
}

/// When a charge that failed `attempts` times is tried again: after an hour, six hours, then a
/// day; after the last attempt, never (the backer and the treasurer see it failed).
pub fn retry_at(attempts: i64, now: i64) -> Option<i64> {
    const HOUR: i64 = 3600;
    match attempts {
        ..=0 => Some(now),
        1 => Some(now + HOUR),
        2 => Some(now + 6 * HOUR),
        a if a < MAX_ATTEMPTS => Some(now + 24 * HOUR),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pledge_is_a_euro_to_the_goal() {
        assert_eq!(PledgeInput { amount_cents: 100 }.check(260_000), Ok(100));
        assert_eq!(
            PledgeInput {
                amount_cents: 260_000
            }
            .check(260_000),
            Ok(260_000)
        );
        for bad in [0, 99, 260_001] {
            let error = PledgeInput { amount_cents: bad }
                .check(260_000)
                .unwrap_err();
            assert_eq!(error.field.as_deref(), Some("amount_cents"), "{bad}");
        }
    }

    #[test]
    fn idempotency_keys_are_printable_and_bounded() {
        assert_eq!(idempotency_key(None), Ok(None));
        assert_eq!(idempotency_key(Some("  ")), Ok(None));
        assert_eq!(idempotency_key(Some("k-1")), Ok(Some("k-1".into())));
        assert!(idempotency_key(Some("a b")).is_err());
        assert!(idempotency_key(Some(&"x".repeat(256))).is_err());
    }

    #[test]
    fn failed_charges_are_retried_a_bounded_number_of_times_further_apart() {
        let now = 1000;
        let delays: Vec<_> = (1..=MAX_ATTEMPTS)
            .map(|a| retry_at(a, now).map(|t| t - now))
            .collect();
        assert_eq!(delays, [Some(3600), Some(21_600), Some(86_400), None]);
    }

    #[test]
    fn the_backer_sees_why_a_charge_failed_only_while_it_has() {
        let mut row = PledgeRow {
            id: "p_1".into(),
            feature_id: "f_1".into(),
            person_id: Some("u".into()),
            amount_cents: 500,
            currency: "EUR".into(),
            status: crate::funding::PledgeStatus::ChargeFailed,
            attempts: 1,
            next_attempt_at: Some(3600),
            last_error: Some("card_declined".into()),
            charge_ref: None,
            created_at: 0,
            feature_title: None,
        };
        assert_eq!(row.view().charge_error.as_deref(), Some("card_declined"));
        assert_eq!(
            row.view().next_attempt_at.as_deref(),
            Some("1970-01-01T01:00:00Z")
        );
        row.status = crate::funding::PledgeStatus::Charged;
        assert_eq!(row.view().charge_error, None);
        assert_eq!(row.status, PledgeStatus::Charged);
        assert_eq!(row.reference(), "pledge:p_1");
    }
}
