//! Feature co-funding: the states of a feature and of a pledge, and who counts as a donor.
//! All or nothing: pledges are charged only once their feature is funded.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureStatus {
    Proposed,
    Funding,
    Funded,
    InProgress,
    Delivered,
    Expired,
    Declined,
}

/// What can happen to a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureEvent {
    /// Opened for pledges (at once for a donor's proposal).
    Open,
    /// Refused by an instance admin, before it is funded.
    Decline,
    /// Committed pledges reached the goal (the system, exactly once).
    ReachGoal,
    /// The deadline passed short of the goal (the scheduled handler).
    PassDeadline,
    /// Development started (an admin, after funding).
    Start,
    /// Delivered (an admin).
    Deliver,
}

impl FeatureStatus {
    pub const ALL: [FeatureStatus; 7] = [
        FeatureStatus::Proposed,
        FeatureStatus::Funding,
        FeatureStatus::Funded,
        FeatureStatus::InProgress,
        FeatureStatus::Delivered,
        FeatureStatus::Expired,
        FeatureStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FeatureStatus::Proposed => "proposed",
            FeatureStatus::Funding => "funding",
            FeatureStatus::Funded => "funded",
            FeatureStatus::InProgress => "in_progress",
            FeatureStatus::Delivered => "delivered",
            FeatureStatus::Expired => "expired",
            FeatureStatus::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<FeatureStatus> {
        FeatureStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The status as the clock has it: a feature still funding past its deadline has expired,
    /// even before the scheduled handler records it.
    pub fn at(self, deadline: i64, now: i64) -> FeatureStatus {
        match self {
            FeatureStatus::Funding if now >= deadline => FeatureStatus::Expired,
            other => other,
        }
    }

    /// The status after `event`, or 409 when the event cannot happen now.
    pub fn next(self, event: FeatureEvent) -> Result<FeatureStatus, ApiError> {
        use FeatureEvent as E;
        use FeatureStatus as S;
        match (self, event) {
            (S::Proposed, E::Open) => Ok(S::Funding),
            (S::Proposed | S::Funding, E::Decline) => Ok(S::Declined),
            (S::Funding, E::ReachGoal) => Ok(S::Funded),
            (S::Funding, E::PassDeadline) => Ok(S::Expired),
            (S::Funded, E::Start) => Ok(S::InProgress),
            (S::InProgress, E::Deliver) => Ok(S::Delivered),
            _ => Err(ApiError::new(ErrorCode::Conflict)),
        }
    }

    /// Pledges may be made, changed or withdrawn only while the feature is funding.
    pub fn accepts_pledges(self) -> bool {
        self == FeatureStatus::Funding
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeStatus {
    /// Waiting for the backer to save a payment method.
    Pending,
    /// Counts toward the goal; charged if the feature is funded.
    Committed,
    /// Claimed by one run that is asking the provider; nobody else charges it meanwhile.
    Charging,
    Charged,
    /// A charge failed; it is retried, never doubled.
    ChargeFailed,
    /// Charged, then paid back.
    Refunded,
    Withdrawn,
    /// Let go without charge: the feature expired or was declined.
    Released,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PledgeEvent {
    SaveMethod,
    Withdraw,
    /// A run takes the pledge to charge it (again, when an earlier run stopped midway).
    Claim,
    Charge,
    FailCharge,
    Refund,
    Release,
}

impl PledgeStatus {
    pub const ALL: [PledgeStatus; 8] = [
        PledgeStatus::Pending,
        PledgeStatus::Committed,
        PledgeStatus::Charging,
        PledgeStatus::Charged,
        PledgeStatus::ChargeFailed,
        PledgeStatus::Refunded,
        PledgeStatus::Withdrawn,
        PledgeStatus::Released,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PledgeStatus::Pending => "pending",
            PledgeStatus::Committed => "committed",
            PledgeStatus::Charging => "charging",
            PledgeStatus::Charged => "charged",
            PledgeStatus::ChargeFailed => "charge_failed",
            PledgeStatus::Refunded => "refunded",
            PledgeStatus::Withdrawn => "withdrawn",
            PledgeStatus::Released => "released",
        }
    }

    pub fn next(self, event: PledgeEvent) -> Result<PledgeStatus, ApiError> {
        use PledgeEvent as E;
        use PledgeStatus as S;
        match (self, event) {
            (S::Pending, E::SaveMethod) => Ok(S::Committed),
            (S::Pending | S::Committed, E::Withdraw) => Ok(S::Withdrawn),
            (S::Committed | S::ChargeFailed | S::Charging, E::Claim) => Ok(S::Charging),
            (S::Charging, E::Charge) => Ok(S::Charged),
            (S::Charging, E::FailCharge) => Ok(S::ChargeFailed),
            (S::Charged, E::Refund) => Ok(S::Refunded),
            (S::Pending | S::Committed, E::Release) => Ok(S::Released),
            _ => Err(ApiError::new(ErrorCode::Conflict)),
        }
    }

    /// Only committed pledges count toward a goal. (`store::features`' `counted!` list says the
    /// same; a store test compares them over every status.)
    pub fn counts(self) -> bool {
        matches!(
            self,
            PledgeStatus::Committed
                | PledgeStatus::Charging
                | PledgeStatus::Charged
                | PledgeStatus::ChargeFailed
        )
    }
}

/// A backer takes back their pledge: while it is pending or committed (`PledgeStatus::next`)
/// and its feature is still funding, before its deadline. Past the deadline the hourly run
/// releases it; once funded it is charged. The pledge's new status, or 409.
/// (`store::features::WITHDRAW` writes exactly this; its test compares them over every state.)
pub fn withdraw(
    pledge: PledgeStatus,
    feature: FeatureStatus,
    deadline: i64,
    now: i64,
) -> Result<PledgeStatus, ApiError> {
    if feature != FeatureStatus::Funding || now >= deadline {
        return Err(ApiError::new(ErrorCode::Conflict));
    }
    pledge.next(PledgeEvent::Withdraw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pledge_is_withdrawn_only_while_its_feature_funds_before_the_deadline() {
        let (deadline, before) = (1_000, 999);
        let ok = |p, f, now| withdraw(p, f, deadline, now).is_ok();
        assert_eq!(
            withdraw(
                PledgeStatus::Committed,
                FeatureStatus::Funding,
                deadline,
                before
            )
            .unwrap(),
            PledgeStatus::Withdrawn
        );
        assert!(ok(PledgeStatus::Pending, FeatureStatus::Funding, before));
        assert!(
            !ok(PledgeStatus::Committed, FeatureStatus::Funding, deadline),
            "past it"
        );
        assert!(!ok(
            PledgeStatus::Committed,
            FeatureStatus::Proposed,
            before
        ));
        assert!(!ok(PledgeStatus::Committed, FeatureStatus::Funded, before));
        assert!(!ok(PledgeStatus::Charged, FeatureStatus::Funding, before));
        assert!(!ok(PledgeStatus::Released, FeatureStatus::Funding, before));
    }

    #[test]
    fn features_follow_the_pipeline_and_nothing_else() {
        use FeatureEvent as E;
        use FeatureStatus as S;
        let legal = [
            (S::Proposed, E::Open, S::Funding),
            (S::Proposed, E::Decline, S::Declined),
            (S::Funding, E::Decline, S::Declined),
            (S::Funding, E::ReachGoal, S::Funded),
            (S::Funding, E::PassDeadline, S::Expired),
            (S::Funded, E::Start, S::InProgress),
            (S::InProgress, E::Deliver, S::Delivered),
        ];
        let events = [
            E::Open,
            E::Decline,
            E::ReachGoal,
            E::PassDeadline,
            E::Start,
            E::Deliver,
        ];
        for status in S::ALL {
            for event in events {
                let expected = legal
                    .iter()
                    .find(|(s, e, _)| *s == status && *e == event)
                    .map(|l| l.2);
                match (status.next(event), expected) {
                    (Ok(next), Some(want)) => assert_eq!(next, want, "{status:?} {event:?}"),
                    (Err(error), None) => assert_eq!(error.status(), 409, "{status:?} {event:?}"),
                    (got, want) => panic!("{status:?} × {event:?}: got {got:?}, expected {want:?}"),
                }
            }
        }
        assert!(S::Funding.accepts_pledges());
        assert!(!S::Funded.accepts_pledges() && !S::Expired.accepts_pledges());
    }

    #[test]
    fn a_feature_past_its_deadline_reads_expired_only_while_funding() {
        assert_eq!(FeatureStatus::Funding.at(100, 99), FeatureStatus::Funding);
        assert_eq!(FeatureStatus::Funding.at(100, 100), FeatureStatus::Expired);
        assert_eq!(FeatureStatus::Funded.at(100, 500), FeatureStatus::Funded);
        for status in FeatureStatus::ALL {
            assert_eq!(FeatureStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn a_funded_feature_cannot_be_funded_twice_nor_expire() {
        let funded = FeatureStatus::Funding
            .next(FeatureEvent::ReachGoal)
            .unwrap();
        assert!(funded.next(FeatureEvent::ReachGoal).is_err());
        assert!(funded.next(FeatureEvent::PassDeadline).is_err());
        assert!(funded.next(FeatureEvent::Decline).is_err());
    }

    #[test]
    fn pledges_are_charged_once_and_never_after_release_or_withdrawal() {
        use PledgeEvent as E;
        use PledgeStatus as S;
        let legal = [
            (S::Pending, E::SaveMethod, S::Committed),
            (S::Pending, E::Withdraw, S::Withdrawn),
            (S::Committed, E::Withdraw, S::Withdrawn),
            (S::Committed, E::Claim, S::Charging),
            (S::ChargeFailed, E::Claim, S::Charging),
            (S::Charging, E::Claim, S::Charging),
            (S::Charging, E::Charge, S::Charged),
            (S::Charging, E::FailCharge, S::ChargeFailed),
            (S::Charged, E::Refund, S::Refunded),
            (S::Pending, E::Release, S::Released),
            (S::Committed, E::Release, S::Released),
        ];
        let events = [
            E::SaveMethod,
            E::Withdraw,
            E::Claim,
            E::Charge,
            E::FailCharge,
            E::Refund,
            E::Release,
        ];
        for status in S::ALL {
            for event in events {
                let expected = legal
                    .iter()
                    .find(|(s, e, _)| *s == status && *e == event)
                    .map(|l| l.2);
                assert_eq!(status.next(event).ok(), expected, "{status:?} × {event:?}");
            }
        }
        assert!(!S::Pending.counts() && S::Committed.counts() && !S::Released.counts());
        assert!(S::Charging.counts() && !S::Refunded.counts() && !S::Withdrawn.counts());
    }
}
