//! Moderation by the community: reports of a live post open, at the third, a motion to hide it,
//! voted by the instance's verified members in secret, adopted by more than 75 % within two days.

use super::method::Question;
use super::phase::ProposalSchedule;
use super::proposal::{Eligibility, ProposalRequest};
use super::rules::Rules;

/// Reports (one per person) that open a moderation motion.
pub const REPORTS_FOR_MOTION: i64 = 3;
/// The share of the votes for that hides a post: more than this, in percent.
pub const MAJORITY_PERCENT: u8 = 75;
/// How long a moderation motion lasts: about two days.
pub const MOTION_SECS: i64 = 48 * 3600;
/// How much of the post the motion's title quotes, in characters.
const EXCERPT_CHARS: usize = 60;

/// Whether the post's count of reports calls for its motion.
pub fn opens_motion(reports: i64) -> bool {
    reports >= REPORTS_FOR_MOTION
}

/// The motion to hide a post of text `post`, opened at `now` in the instance's space.
pub fn motion(post: &str, now: i64) -> ProposalRequest {
    let excerpt: String = post.chars().take(EXCERPT_CHARS).collect();
    ProposalRequest {
        community: "instance".into(),
        title: format!("Masquer le message « {excerpt} » ?"),
        body: post.to_string(),
        tags: vec!["modération".into()],
        question: Question::Motion,
        options: Vec::new(),
        budget_cents: None,
        rules: Rules {
            majority_percent: MAJORITY_PERCENT,
            quorum_percent: 0,
        },
        eligibility: Eligibility::Verified,
        secret: true,
        changeable: false,
        schedule: ProposalSchedule {
            amend_until: None,
            vote_from: now,
            vote_until: now + MOTION_SECS,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_third_report_opens_the_motion() {
        assert!(!opens_motion(1));
        assert!(!opens_motion(2));
        assert!(opens_motion(3));
        assert!(opens_motion(4), "a report after the third finds it open");
    }

    #[test]
    fn the_motion_is_secret_for_verified_members_at_75_percent_for_two_days() {
        let long = "é".repeat(100);
        let m = motion(&long, 1_000);
        assert_eq!(m.community, "instance");
        assert_eq!(
            m.title,
            format!("Masquer le message « {} » ?", "é".repeat(60))
        );
        assert_eq!(m.body, long);
        assert_eq!(m.question, Question::Motion);
        assert_eq!((m.rules.majority_percent, m.rules.quorum_percent), (75, 0));
        assert_eq!(m.eligibility, Eligibility::Verified);
        assert!(m.secret && !m.changeable);
        let s = m.schedule;
        assert_eq!(
            (s.amend_until, s.vote_from, s.vote_until),
            (None, 1_000, 1_000 + 172_800)
        );
    }
}
