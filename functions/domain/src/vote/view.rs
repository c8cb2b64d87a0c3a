//! A proposal as stored, the question it puts, and how it is shown: its phase as the clock has
//! it, and its results only when they may be seen.

use super::ballot::MotionChoice;
use super::method::{Method, Question};
use super::motion;
use super::phase::{Phase, ProposalSchedule};
use super::proposal::{Eligibility, OptionInput, results_visible};
use super::resolution::Resolution;
use super::rules::Rules;
use serde::{Deserialize, Serialize};

/// A proposal as stored (store::cooperation's proposal columns).
#[derive(Debug, Clone, Deserialize)]
pub struct ProposalRow {
    pub id: String,
    pub community: String,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub method: Method,
    pub options: String,
    pub budget_cents: Option<i64>,
    pub majority: i64,
    pub quorum: i64,
    pub eligibility: Eligibility,
    #[serde(deserialize_with = "crate::row::flag")]
    pub secret: bool,
    #[serde(deserialize_with = "crate::row::flag")]
    pub changeable: bool,
    pub amend_until: Option<i64>,
    /// Read as coalesce(vote_from, amend_until, created_at): proposals of schema 4 had none.
    pub vote_from: i64,
    pub vote_until: i64,
    pub author_id: Option<String>,
    pub about_post: Option<String>,
    #[serde(default)]
    pub about_comment: Option<String>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub resolution: Option<String>,
}

/// A proposal as everyone sees it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProposalView {
    pub id: String,
    pub community: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub method: Method,
    pub rule: &'static str,
    /// The options' labels, as ballots name them.
    pub options: Vec<String>,
    /// A budget vote's: each option's cost, in the options' order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub costs_cents: Vec<i64>,
    /// A budget vote over features: the feature of each option, in their order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feature_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_cents: Option<i64>,
    pub majority_percent: i64,
    /// In percent of those eligible.
    pub quorum: i64,
    pub eligibility: Eligibility,
    pub secret: bool,
    pub can_change_vote: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amend_until: Option<String>,
    pub vote_from: String,
    pub vote_until: String,
    pub phase: Phase,
    /// Whether amendments are taken now.
    pub amendments_open: bool,
    pub created_at: String,
    /// Recorded when the proposal closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    pub url: String,
}

impl ProposalRow {
    /// The resolution recorded when it closed.
    pub fn resolved(&self) -> Option<Resolution> {
        serde_json::from_str(self.resolution.as_deref()?).ok()
    }

    pub fn options(&self) -> Vec<OptionInput> {
        serde_json::from_str(&self.options).unwrap_or_default()
    }

    /// The question its ballots answer, rebuilt from what was checked when it was opened.
    pub fn question(&self) -> Question {
        let options = self.options();
        match self.method {
            Method::Motion => Question::Motion,
            Method::Choice => Question::Choice {
                options: options.len(),
            },
            Method::MajorityJudgment => Question::MajorityJudgment {
                options: options.len(),
            },
            Method::Budget => Question::Budget {
                costs: options.iter().map(|o| o.cost_cents.unwrap_or(0)).collect(),
                budget_cents: self.budget_cents.unwrap_or(0),
            },
        }
    }

    pub fn rules(&self) -> Rules {
        Rules {
            majority_percent: self.majority.clamp(50, 100) as u8,
            quorum_percent: self.quorum.clamp(0, 100) as u8,
        }
    }

    pub fn schedule(&self) -> ProposalSchedule {
        ProposalSchedule {
            amend_until: self.amend_until,
            vote_from: self.vote_from,
            vote_until: self.vote_until,
        }
    }

    pub fn phase(&self, now: i64) -> Phase {
        self.schedule().phase(now)
    }

    /// What ballots and results name each option by: its feature, else its label.
    pub fn option_names(&self) -> Vec<String> {
        self.options()
            .into_iter()
            .map(|o| o.feature_id.unwrap_or(o.label))
            .collect()
    }

    /// Whether its tallies may be shown now.
    pub fn results_visible(&self, now: i64) -> bool {
        results_visible(self.secret, self.phase(now) == Phase::Closed)
    }

    pub fn view(&self, now: i64) -> ProposalView {
        let method = self.method;
        let options = self.options();
        ProposalView {
            id: self.id.clone(),
            community: self.community.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            tags: serde_json::from_str(&self.tags).unwrap_or_default(),
            method,
            rule: method.rule(),
            costs_cents: options.iter().filter_map(|o| o.cost_cents).collect(),
            feature_ids: options
                .iter()
                .filter_map(|o| o.feature_id.clone())
                .collect(),
            options: options.into_iter().map(|o| o.label).collect(),
            budget_cents: self.budget_cents,
            majority_percent: self.majority,
            quorum: self.quorum,
            eligibility: self.eligibility,
            secret: self.secret,
            can_change_vote: self.changeable,
            amend_until: self.amend_until.map(crate::time::rfc3339),
            vote_from: crate::time::rfc3339(self.vote_from),
            vote_until: crate::time::rfc3339(self.vote_until),
            phase: self.phase(now),
            amendments_open: self.schedule().accepts_amendments(now),
            created_at: crate::time::rfc3339(self.created_at),
            resolution: self.resolved(),
            url: format!("/propositions/{}/", self.id),
        }
    }
}

/// An amendment is adopted when, at the end of the amendable phase, its for-share exceeds the
/// proposal's majority (blank votes take no side; no quorum for amendments).
pub fn amendment_adopted(in_favour: u64, against: u64, blank: u64, majority_percent: u8) -> bool {
    let choices = std::iter::repeat_n(MotionChoice::For, in_favour as usize)
        .chain(std::iter::repeat_n(MotionChoice::Against, against as usize))
        .chain(std::iter::repeat_n(MotionChoice::Blank, blank as usize));
    motion::tally(choices, majority_percent).majority
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(method: &str, options: &str, secret: bool) -> ProposalRow {
        ProposalRow {
            id: "pr_1".into(),
            community: "instance".into(),
            title: "Budget 2027".into(),
            body: "".into(),
            tags: r#"["budget"]"#.into(),
            method: Method::parse(method).unwrap(),
            options: options.into(),
            budget_cents: Some(300_000),
            majority: 50,
            quorum: 10,
            eligibility: Eligibility::Donors,
            secret,
            changeable: true,
            amend_until: None,
            vote_from: 0,
            vote_until: 1000,
            author_id: None,
            about_post: None,
            about_comment: None,
            created_at: 0,
            closed_at: None,
            resolution: None,
        }
    }

    #[test]
    fn the_stored_proposal_puts_the_question_it_was_opened_with() {
        let budget = row(
            "budget",
            r#"[{"label":"Carte","cost_cents":150000},{"label":"iCal","cost_cents":260000,"feature_id":"f_1"}]"#,
            true,
        );
        assert_eq!(
            budget.question(),
            Question::Budget {
                costs: vec![150_000, 260_000],
                budget_cents: 300_000
            }
        );
        let view = budget.view(999);
        assert_eq!((view.phase, view.secret), (Phase::Voting, true));
        assert_eq!(view.options, ["Carte", "iCal"]);
        assert_eq!(view.costs_cents, [150_000, 260_000]);
        assert_eq!(view.feature_ids, ["f_1"]);
        assert_eq!(budget.option_names(), ["Carte", "f_1"]);
        assert_eq!(view.eligibility, Eligibility::Donors);
        assert_eq!(view.url, "/propositions/pr_1/");
        assert_eq!(row("motion", "[]", false).question(), Question::Motion);
    }

    #[test]
    fn secret_results_wait_for_the_close_and_open_ones_do_not() {
        let secret = row("motion", "[]", true);
        assert!(!secret.results_visible(999));
        assert!(secret.results_visible(1000));
        assert!(row("motion", "[]", false).results_visible(0));
    }

    #[test]
    fn an_amendment_needs_more_than_the_majority_of_those_taking_a_side() {
        assert!(amendment_adopted(3, 2, 10, 50));
        assert!(!amendment_adopted(2, 2, 0, 50));
        assert!(
            !amendment_adopted(0, 0, 5, 50),
            "blank votes alone adopt nothing"
        );
    }
}
