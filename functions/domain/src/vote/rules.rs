//! The thresholds a proposal sets: the majority a motion must exceed, and the share of eligible
//! members who must take part for the vote to decide anything.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// 50 to 100: the for-share of a motion must strictly exceed it (100 asks for unanimity).
    pub majority_percent: u8,
    /// 0 to 100 of the eligible members.
    pub quorum_percent: u8,
}

impl Rules {
    /// The thresholds as sent, or 400 on `majority` or `quorum`: below half, a minority could
    /// carry a motion.
    pub fn check(majority: i64, quorum: i64) -> Result<Rules, ApiError> {
        let majority_percent = u8::try_from(majority)
            .ok()
            .filter(|m| (50..=100).contains(m))
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "majority"))?;
        let quorum_percent = u8::try_from(quorum)
            .ok()
            .filter(|q| *q <= 100)
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "quorum"))?;
        Ok(Rules {
            majority_percent,
            quorum_percent,
        })
    }

    /// Whether `participation` ballots reach the quorum of `eligible` members, on integers so
    /// that no rounding moves the line: participation × 100 ≥ quorum × eligible.
    pub fn quorum_met(self, participation: u64, eligible: u64) -> bool {
        u128::from(participation) * 100 >= u128::from(self.quorum_percent) * u128::from(eligible)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_is_half_to_all_and_quorum_a_percent() {
        assert_eq!(
            Rules::check(50, 0).unwrap(),
            Rules {
                majority_percent: 50,
                quorum_percent: 0
            }
        );
        assert!(Rules::check(100, 100).is_ok());
        let field = |m, q| Rules::check(m, q).unwrap_err().field.unwrap();
        assert_eq!(field(49, 10), "majority");
        assert_eq!(field(101, 10), "majority");
        assert_eq!(field(-50, 10), "majority");
        assert_eq!(field(60, 101), "quorum");
        assert_eq!(field(60, -1), "quorum");
    }

    #[test]
    fn the_quorum_is_reached_at_the_exact_share() {
        let rules = Rules::check(50, 25).unwrap();
        assert!(rules.quorum_met(25, 100));
        assert!(!rules.quorum_met(24, 100));
        // 33 % of 7 is 2.31: 2 ballots fall short, 3 reach it.
        let third = Rules::check(50, 33).unwrap();
        assert!(!third.quorum_met(2, 7) && third.quorum_met(3, 7));
        assert!(Rules::check(50, 0).unwrap().quorum_met(0, 100));
        assert!(Rules::check(50, 100).unwrap().quorum_met(100, 100));
        assert!(!Rules::check(50, 100).unwrap().quorum_met(99, 100));
    }
}
