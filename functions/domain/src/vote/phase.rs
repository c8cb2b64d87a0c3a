//! Where a proposal stands, read from the clock: amended first (when it has an amendment phase),
//! then voted on, then closed. Nothing records the passage from one to the next: the times do.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

const DAY: i64 = 24 * 3600;
/// A vote closes within about a year, like a feature's pledges.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Amendments may be proposed; ballots wait for the text to be final.
    Amendable,
    Voting,
    Closed,
}

impl Phase {
    /// Amendable while `now` < `amend_until`, voting while `now` < `vote_until`, closed from
    /// `vote_until` on. The end of the vote wins over a later `amend_until`.
    pub fn at(amend_until: Option<i64>, vote_until: i64, now: i64) -> Phase {
        if now >= vote_until {
            Phase::Closed
        } else if amend_until.is_some_and(|until| now < until) {
            Phase::Amendable
        } else {
            Phase::Voting
        }
    }

    pub fn accepts_amendments(self) -> bool {
        self == Phase::Amendable
    }

    pub fn accepts_ballots(self) -> bool {
        self == Phase::Voting
    }
}

/// When a proposal's phases end, in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposalSchedule {
    /// None: no amendment phase, the vote opens at once.
    pub amend_until: Option<i64>,
    pub vote_until: i64,
}

impl ProposalSchedule {
    /// The vote closes in the future and within a year; amendments, if any, close in the future
    /// and before the vote does, so that some time is left to vote. Else 400 on the field.
    pub fn check(self, now: i64) -> Result<ProposalSchedule, ApiError> {
        if self.vote_until <= now || self.vote_until > now + MAX_DAYS * DAY {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "vote_until"));
        }
        if self
            .amend_until
            .is_some_and(|until| until <= now || until >= self.vote_until)
        {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "amend_until"));
        }
        Ok(self)
    }

    pub fn phase(self, now: i64) -> Phase {
        Phase::at(self.amend_until, self.vote_until, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_305_600; // 2026-11-22T00:00:00Z

    #[test]
    fn phases_change_at_the_exact_instants() {
        let (amend, vote) = (Some(100), 200);
        assert_eq!(Phase::at(amend, vote, 99), Phase::Amendable);
        assert_eq!(Phase::at(amend, vote, 100), Phase::Voting);
        assert_eq!(Phase::at(amend, vote, 199), Phase::Voting);
        assert_eq!(Phase::at(amend, vote, 200), Phase::Closed);
        assert_eq!(Phase::at(None, vote, 0), Phase::Voting);
        assert_eq!(Phase::at(Some(300), vote, 250), Phase::Closed);
        assert!(Phase::Amendable.accepts_amendments() && !Phase::Amendable.accepts_ballots());
        assert!(Phase::Voting.accepts_ballots() && !Phase::Closed.accepts_ballots());
        assert_eq!(serde_json::to_value(Phase::Amendable).unwrap(), "amendable");
    }

    #[test]
    fn a_schedule_ends_in_order_within_a_year() {
        let schedule = |amend_until, vote_until| {
            ProposalSchedule {
                amend_until,
                vote_until,
            }
            .check(NOW)
            .map_err(|e| e.field.unwrap())
        };
        let week = 7 * DAY;
        assert!(schedule(Some(NOW + week), NOW + 2 * week).is_ok());
        assert!(schedule(None, NOW + MAX_DAYS * DAY).is_ok());
        assert_eq!(schedule(None, NOW).unwrap_err(), "vote_until");
        assert_eq!(
            schedule(None, NOW + MAX_DAYS * DAY + 1).unwrap_err(),
            "vote_until"
        );
        assert_eq!(
            schedule(Some(NOW + week), NOW + week).unwrap_err(),
            "amend_until"
        );
        assert_eq!(schedule(Some(NOW), NOW + week).unwrap_err(), "amend_until");
        let ok = schedule(Some(NOW + week), NOW + 2 * week).unwrap();
        assert_eq!(ok.phase(NOW), Phase::Amendable);
        assert_eq!(ok.phase(NOW + week), Phase::Voting);
    }
}
