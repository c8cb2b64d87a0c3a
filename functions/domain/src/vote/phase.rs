//! Where a proposal stands, read from the clock: amendable until its vote opens (amendments
//! taken, when it has them, until their deadline), then voted on, then closed. Nothing records
//! the passage from one to the next: the times do.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

const DAY: i64 = 24 * 3600;
/// A vote closes within about a year, like a feature's pledges.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the vote opens: amendments may be proposed (until their deadline); ballots wait
    /// for the text to be final.
    Amendable,
    Voting,
    Closed,
}

impl Phase {
    /// Amendable while `now` < `vote_from`, voting while `now` < `vote_until`, closed from
    /// `vote_until` on.
    pub fn at(vote_from: i64, vote_until: i64, now: i64) -> Phase {
        if now >= vote_until {
            Phase::Closed
        } else if now < vote_from {
            Phase::Amendable
        } else {
            Phase::Voting
        }
    }

    pub fn accepts_ballots(self) -> bool {
        self == Phase::Voting
    }
}

/// When a proposal's phases end, in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposalSchedule {
    /// None: amendments are off.
    pub amend_until: Option<i64>,
    pub vote_from: i64,
    pub vote_until: i64,
}

impl ProposalSchedule {
    /// As asked: `vote_from` defaults to the amendments' deadline, else to now, and one in the
    /// past means now. Then the vote closes after it opens, within a year; amendments, if any,
    /// close in the future and no later than the vote opens. Else 400 on the field.
    pub fn check(
        amend_until: Option<i64>,
        vote_from: Option<i64>,
        vote_until: i64,
        now: i64,
    ) -> Result<ProposalSchedule, ApiError> {
        let invalid = |field: &str| ApiError::on_field(ErrorCode::InvalidField, field);
        let vote_from = vote_from.or(amend_until).unwrap_or(now).max(now);
        let amend_late = |until: i64| until <= now || until > vote_from || until >= vote_until;
        if amend_until.is_some_and(amend_late) {
            return Err(invalid("amend_until"));
        }
        if vote_from > now + MAX_DAYS * DAY {
            return Err(invalid("vote_from"));
        }
        if vote_until <= vote_from || vote_until > now + MAX_DAYS * DAY {
            return Err(invalid("vote_until"));
        }
        Ok(ProposalSchedule {
            amend_until,
            vote_from,
            vote_until,
        })
    }

    pub fn phase(self, now: i64) -> Phase {
        Phase::at(self.vote_from, self.vote_until, now)
    }

    /// Amendments are taken while the vote has not opened and their deadline has not passed.
    pub fn accepts_amendments(self, now: i64) -> bool {
        self.amendments_due(now) == Some(false)
    }

    /// The schedule moved on to the next phase now (amendable → voting → closed), for trying a
    /// proposal out in development without waiting; a closed one stays as it is.
    pub fn advanced(self, now: i64) -> ProposalSchedule {
        match self.phase(now) {
            Phase::Amendable => ProposalSchedule {
                amend_until: self.amend_until.map(|t| t.min(now)),
                vote_from: now,
                ..self
            },
            Phase::Voting => ProposalSchedule {
                vote_until: now,
                ..self
            },
            Phase::Closed => self,
        }
    }

    /// Whether the amendments' vote is over (None when amendments are off): they are decided,
    /// and the adopted ones folded in, at the first read or scheduled run after this.
    pub fn amendments_due(self, now: i64) -> Option<bool> {
        self.amend_until
            .map(|until| now >= until.min(self.vote_from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_305_600; // 2026-11-22T00:00:00Z

    #[test]
    fn phases_change_at_the_exact_instants() {
        let (from, vote) = (100, 200);
        assert_eq!(Phase::at(from, vote, 99), Phase::Amendable);
        assert_eq!(Phase::at(from, vote, 100), Phase::Voting);
        assert_eq!(Phase::at(from, vote, 199), Phase::Voting);
        assert_eq!(Phase::at(from, vote, 200), Phase::Closed);
        assert_eq!(Phase::at(0, vote, 0), Phase::Voting);
        assert!(!Phase::Amendable.accepts_ballots());
        assert!(Phase::Voting.accepts_ballots() && !Phase::Closed.accepts_ballots());
        assert_eq!(serde_json::to_value(Phase::Amendable).unwrap(), "amendable");
    }

    #[test]
    fn a_schedule_ends_in_order_within_a_year() {
        let schedule = |amend_until, vote_until| {
            ProposalSchedule::check(amend_until, None, vote_until, NOW)
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
        assert_eq!(
            ok.vote_from,
            NOW + week,
            "the vote opens when amendments close"
        );
        assert_eq!(ok.phase(NOW), Phase::Amendable);
        assert_eq!(ok.phase(NOW + week), Phase::Voting);
    }

    #[test]
    fn the_vote_opens_at_vote_from_and_amendments_close_by_then() {
        let week = 7 * DAY;
        let check = |amend, from, until| ProposalSchedule::check(amend, from, until, NOW);
        let later = check(None, Some(NOW + week), NOW + 2 * week).unwrap();
        assert_eq!(later.phase(NOW), Phase::Amendable);
        assert!(!later.accepts_amendments(NOW), "amendments are off");
        assert_eq!(later.amendments_due(NOW), None);
        let past = check(None, Some(NOW - week), NOW + week).unwrap();
        assert_eq!((past.vote_from, past.phase(NOW)), (NOW, Phase::Voting));
        let field = |r: Result<ProposalSchedule, ApiError>| r.unwrap_err().field.unwrap();
        assert_eq!(
            field(check(Some(NOW + 2 * DAY), Some(NOW + DAY), NOW + week)),
            "amend_until"
        );
        assert_eq!(
            field(check(None, Some(NOW + week), NOW + week)),
            "vote_until"
        );
        assert_eq!(
            field(check(None, Some(NOW + MAX_DAYS * DAY + 1), NOW + 400 * DAY)),
            "vote_from"
        );
        let early = check(Some(NOW + DAY), Some(NOW + 2 * DAY), NOW + week).unwrap();
        assert!(early.accepts_amendments(NOW));
        assert!(!early.accepts_amendments(NOW + DAY));
        assert_eq!(
            early.phase(NOW + DAY),
            Phase::Amendable,
            "voting waits for vote_from"
        );
        assert_eq!(early.amendments_due(NOW + DAY), Some(true));
        let voting = early.advanced(NOW);
        assert_eq!(voting.phase(NOW), Phase::Voting);
        assert_eq!(voting.amendments_due(NOW), Some(true));
        let closed = voting.advanced(NOW);
        assert_eq!(closed.phase(NOW), Phase::Closed);
        assert_eq!(closed.advanced(NOW), closed);
    }
}
