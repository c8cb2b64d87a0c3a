//! Tallying a motion: for, against and blank. Blank ballots show up for participation and the
//! quorum but take no side, so they are left out of the for-share.

use super::ballot::MotionChoice;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MotionTally {
    #[serde(rename = "for")]
    pub in_favour: u64,
    pub against: u64,
    pub blank: u64,
    /// Every ballot, blank ones included.
    pub participation: u64,
    /// for ÷ (for + against), 0 when nobody took a side; for display only, the decision is
    /// taken on integers.
    pub for_share: f64,
    pub majority_percent: u8,
    /// Whether the for-share strictly exceeds the majority, quorum aside.
    pub majority: bool,
}

pub fn tally(choices: impl IntoIterator<Item = MotionChoice>, majority_percent: u8) -> MotionTally {
    let (mut in_favour, mut against, mut blank) = (0u64, 0u64, 0u64);
    for choice in choices {
        match choice {
            MotionChoice::For => in_favour += 1,
            MotionChoice::Against => against += 1,
            MotionChoice::Blank => blank += 1,
        }
    }
    let sides = in_favour + against;
    MotionTally {
        in_favour,
        against,
        blank,
        participation: sides + blank,
        for_share: if sides == 0 {
            0.0
        } else {
            in_favour as f64 / sides as f64
        },
        majority_percent,
        majority: exceeds(in_favour, against, majority_percent),
    }
}

/// for × 100 > majority × (for + against). A 100 % majority can never be exceeded, so it is
/// read as unanimity: at least one for and no against.
fn exceeds(in_favour: u64, against: u64, majority_percent: u8) -> bool {
    if majority_percent >= 100 {
        return in_favour > 0 && against == 0;
    }
    u128::from(in_favour) * 100 > u128::from(majority_percent) * u128::from(in_favour + against)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MotionChoice::{Against, Blank, For};

    fn ballots(for_: usize, against: usize, blank: usize) -> Vec<MotionChoice> {
        [(For, for_), (Against, against), (Blank, blank)]
            .into_iter()
            .flat_map(|(c, n)| std::iter::repeat_n(c, n))
            .collect()
    }

    #[test]
    fn blank_ballots_count_for_participation_not_in_the_share() {
        // 6 for, 4 against, 10 blank: 60 % of those who took a side.
        let t = tally(ballots(6, 4, 10), 50);
        assert_eq!((t.in_favour, t.against, t.blank), (6, 4, 10));
        assert_eq!(t.participation, 20);
        assert!((t.for_share - 0.6).abs() < 1e-9);
        assert!(t.majority);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["for"], 6);
        assert_eq!(json["blank"], 10);
    }

    #[test]
    fn the_share_must_exceed_the_majority() {
        assert!(!tally(ballots(5, 5, 0), 50).majority);
        assert!(tally(ballots(6, 5, 0), 50).majority);
        // Exactly two thirds at a 66 % majority exceeds it; 66 of 100 does not.
        assert!(tally(ballots(2, 1, 0), 66).majority);
        assert!(!tally(ballots(66, 34, 0), 66).majority);
        assert!(tally(ballots(67, 33, 0), 66).majority);
    }

    #[test]
    fn nobody_taking_a_side_adopts_nothing() {
        let t = tally(ballots(0, 0, 3), 50);
        assert_eq!((t.participation, t.for_share, t.majority), (3, 0.0, false));
        assert!(!tally(Vec::new(), 50).majority);
    }

    #[test]
    fn a_full_majority_asks_for_unanimity() {
        assert!(tally(ballots(7, 0, 2), 100).majority);
        assert!(!tally(ballots(99, 1, 0), 100).majority);
        assert!(!tally(ballots(0, 0, 2), 100).majority);
    }
}
