//! What a proposal must hold to be opened: its community, text, method and options, rules,
//! who may vote, secrecy, and its schedule.

use super::method::Question;
use super::phase::ProposalSchedule;
use super::rules::Rules;
use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

pub const MAX_OPTIONS: usize = 20;
pub const MAX_TAGS: usize = 10;
const MAX_BODY: usize = 20_000;

/// Who may vote (and amend): the community's members (for the instance: anyone with an
/// account), donors, or anyone with a verified address (every account here has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    Members,
    Donors,
    Verified,
}

impl Eligibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Eligibility::Members => "members",
            Eligibility::Donors => "donors",
            Eligibility::Verified => "verified",
        }
    }

    pub fn parse(text: &str) -> Option<Eligibility> {
        [
            Eligibility::Members,
            Eligibility::Donors,
            Eligibility::Verified,
        ]
        .into_iter()
        .find(|e| e.as_str() == text)
    }

    /// Whether this person may vote: decided at ballot time from what the server knows now.
    /// 401 for the anonymous (signing in could help), 403 otherwise.
    pub fn admits(self, signed_in: bool, member: bool, donor: bool) -> Result<(), ApiError> {
        let allowed = signed_in
            && match self {
                Eligibility::Members => member,
                Eligibility::Donors => donor,
                Eligibility::Verified => true,
            };
        match (allowed, signed_in) {
            (true, _) => Ok(()),
            (false, false) => Err(ApiError::new(ErrorCode::NotSignedIn)),
            (false, true) => Err(ApiError::new(ErrorCode::Forbidden)),
        }
    }
}

/// An option of a choice, a judgment or a budget vote; a budget option has a cost and may name
/// the feature it would fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionInput {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_cents: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_id: Option<String>,
}

/// `POST /api/proposals`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// "instance", or the id of an organization or project.
    pub community: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub method: String,
    #[serde(default)]
    pub options: Vec<OptionInput>,
    pub budget_cents: Option<i64>,
    #[serde(default = "half")]
    pub majority: i64,
    #[serde(default)]
    pub quorum: i64,
    #[serde(default = "members")]
    pub eligibility: String,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub changeable: bool,
    pub amend_until: Option<i64>,
    pub vote_until: i64,
}

fn half() -> i64 {
    50
}

fn members() -> String {
    "members".into()
}

/// A proposal, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalRequest {
    pub community: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub question: Question,
    pub options: Vec<OptionInput>,
    pub budget_cents: Option<i64>,
    pub rules: Rules,
    pub eligibility: Eligibility,
    pub secret: bool,
    pub changeable: bool,
    pub schedule: ProposalSchedule,
}

fn invalid(field: &str) -> ApiError {
    ApiError::on_field(ErrorCode::InvalidField, field)
}

impl ProposalInput {
    pub fn check(self, now: i64) -> Result<ProposalRequest, ApiError> {
        use super::method::Method;
        let title = self.title.trim().to_string();
        if !(3..=160).contains(&title.chars().count()) {
            return Err(invalid("title"));
        }
        let body = self.body.trim().to_string();
        if body.chars().count() > MAX_BODY {
            return Err(invalid("body"));
        }
        let tags: Vec<String> = self
            .tags
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.len() > MAX_TAGS || tags.iter().any(|t| t.chars().count() > 40) {
            return Err(invalid("tags"));
        }
        let community = self.community.trim().to_string();
        if community.is_empty() || community.len() > 64 {
            return Err(invalid("community"));
        }
        let method = Method::parse(&self.method).ok_or_else(|| invalid("method"))?;
        let options = self.options;
        if options
            .iter()
            .any(|o| !(1..=160).contains(&o.label.trim().chars().count()))
        {
            return Err(invalid("options"));
        }
        let count = options.len();
        let question = match method {
            Method::Motion if count == 0 => Question::Motion,
            Method::SingleChoice if (2..=MAX_OPTIONS).contains(&count) => {
                Question::SingleChoice { options: count }
            }
            Method::MajorityJudgment if (2..=MAX_OPTIONS).contains(&count) => {
                Question::MajorityJudgment { options: count }
            }
            Method::Budget if (1..=MAX_OPTIONS).contains(&count) => {
                let budget = self
                    .budget_cents
                    .filter(|b| *b > 0)
                    .ok_or_else(|| invalid("budget_cents"))?;
                let costs: Option<Vec<i64>> = options
                    .iter()
                    .map(|o| o.cost_cents.filter(|c| (1..=budget).contains(c)))
                    .collect();
                Question::Budget {
                    costs: costs.ok_or_else(|| invalid("options"))?,
                    budget_cents: budget,
                }
            }
            _ => return Err(invalid("options")),
        };
        let budget_cents = matches!(question, Question::Budget { .. })
            .then_some(self.budget_cents)
            .flatten();
        Ok(ProposalRequest {
            community,
            title,
            body,
            tags,
            question,
            options,
            budget_cents,
            rules: Rules::check(self.majority, self.quorum)?,
            eligibility: Eligibility::parse(&self.eligibility)
                .ok_or_else(|| invalid("eligibility"))?,
            secret: self.secret,
            changeable: self.changeable,
            schedule: ProposalSchedule {
                amend_until: self.amend_until,
                vote_until: self.vote_until,
            }
            .check(now)?,
        })
    }
}

/// Results of a secret vote stay hidden until it closes; an open vote may show live tallies.
pub fn results_visible(secret: bool, closed: bool) -> bool {
    !secret || closed
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;
    const DAY: i64 = 86_400;

    fn input(method: &str, options: Vec<OptionInput>) -> ProposalInput {
        ProposalInput {
            community: "e_1".into(),
            title: "Ouvrir le samedi".into(),
            body: "Le local ouvrirait le samedi matin.".into(),
            tags: vec![" horaires ".into(), "".into()],
            method: method.into(),
            options,
            budget_cents: None,
            majority: 50,
            quorum: 20,
            eligibility: "members".into(),
            secret: false,
            changeable: true,
            amend_until: Some(NOW + DAY),
            vote_until: NOW + 3 * DAY,
        }
    }

    fn option(label: &str, cost: Option<i64>) -> OptionInput {
        OptionInput {
            label: label.into(),
            cost_cents: cost,
            feature_id: None,
        }
    }

    fn field(result: Result<ProposalRequest, ApiError>) -> Option<String> {
        result.err().and_then(|e| e.field)
    }

    #[test]
    fn a_motion_has_no_options_and_a_choice_at_least_two() {
        let motion = input("motion", vec![]).check(NOW).unwrap();
        assert_eq!(motion.question, Question::Motion);
        assert_eq!(motion.tags, ["horaires"]);
        assert_eq!(
            field(input("motion", vec![option("a", None)]).check(NOW)),
            Some("options".into())
        );
        assert_eq!(
            field(input("single_choice", vec![option("a", None)]).check(NOW)),
            Some("options".into())
        );
        let choice = input("single_choice", vec![option("a", None), option("b", None)]);
        assert_eq!(
            choice.check(NOW).unwrap().question,
            Question::SingleChoice { options: 2 }
        );
        assert_eq!(
            field(input("vote", vec![]).check(NOW)),
            Some("method".into())
        );
    }

    #[test]
    fn a_budget_vote_states_its_budget_and_every_cost_fits_it() {
        let mut budget = input(
            "budget",
            vec![
                option("Carte", Some(150_000)),
                option("iCal", Some(260_000)),
            ],
        );
        assert_eq!(
            field(input("budget", vec![option("x", Some(1))]).check(NOW)),
            Some("budget_cents".into())
        );
        budget.budget_cents = Some(300_000);
        let checked = budget.check(NOW).unwrap();
        assert_eq!(
            checked.question,
            Question::Budget {
                costs: vec![150_000, 260_000],
                budget_cents: 300_000
            }
        );
        let mut over = input("budget", vec![option("Tout", Some(400_000))]);
        over.budget_cents = Some(300_000);
        assert_eq!(field(over.check(NOW)), Some("options".into()));
        let mut free = input("budget", vec![option("Rien", None)]);
        free.budget_cents = Some(300_000);
        assert_eq!(field(free.check(NOW)), Some("options".into()));
    }

    #[test]
    fn rules_eligibility_and_schedule_are_checked() {
        let mut bad = input("motion", vec![]);
        bad.majority = 40;
        assert_eq!(field(bad.check(NOW)), Some("majority".into()));
        let mut who = input("motion", vec![]);
        who.eligibility = "everyone".into();
        assert_eq!(field(who.check(NOW)), Some("eligibility".into()));
        let mut late = input("motion", vec![]);
        late.amend_until = Some(NOW + 4 * DAY);
        assert_eq!(field(late.check(NOW)), Some("amend_until".into()));
    }

    #[test]
    fn eligibility_is_decided_from_what_the_server_knows() {
        use Eligibility as E;
        assert_eq!(
            E::Members.admits(false, true, true).unwrap_err().status(),
            401
        );
        assert_eq!(
            E::Members.admits(true, false, true).unwrap_err().status(),
            403
        );
        assert!(E::Members.admits(true, true, false).is_ok());
        assert_eq!(
            E::Donors.admits(true, true, false).unwrap_err().status(),
            403
        );
        assert!(E::Donors.admits(true, false, true).is_ok());
        assert!(E::Verified.admits(true, false, false).is_ok());
        assert!(!results_visible(true, false) && results_visible(true, true));
        assert!(results_visible(false, false));
    }
}
