//! What a proposal must hold to be opened: its community, text, method and options, rules,
//! who may vote, secrecy, and its schedule.

use super::method::Question;
use super::phase::ProposalSchedule;
use super::rules::Rules;
use crate::error::{ApiError, ErrorCode};
use crate::funding::FeatureStatus;
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
    /// The instance's admins, who open its proposals, vote among its donors. 401 for the
    /// anonymous (signing in could help), 403 otherwise.
    pub fn admits(self, voter: Voter) -> Result<(), ApiError> {
        use crate::access::{Action, Actor, Relation, Target, decide};
        let actor = Actor {
            signed_in: voter.signed_in,
            instance_admin: voter.instance_admin,
            donor: voter.donor,
        };
        let relation = Relation {
            member: voter.member,
            ..Relation::default()
        };
        decide(actor, Action::Vote(self), relation, Target::default())
    }
}

/// What the server knows of a would-be voter, now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Voter {
    pub signed_in: bool,
    /// A member (or admin) of the proposal's community; anyone signed in, for the instance.
    pub member: bool,
    pub donor: bool,
    pub instance_admin: bool,
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

/// An option as sent: its label alone (the contract), or the object (budgets without features).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OptionWire {
    Label(String),
    Full(OptionInput),
}

impl From<OptionWire> for OptionInput {
    fn from(wire: OptionWire) -> OptionInput {
        match wire {
            OptionWire::Label(label) => OptionInput {
                label,
                cost_cents: None,
                feature_id: None,
            },
            OptionWire::Full(option) => option,
        }
    }
}

/// A feature offered to a budget vote, as the funding pipeline has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetFeature {
    pub id: String,
    pub title: String,
    pub goal_cents: i64,
    pub status: FeatureStatus,
}

/// `POST /api/proposals` (../shared/api-contract.md; the first API's names are aliases).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// "instance", or the id of an organization or project.
    pub community: String,
    pub title: String,
    #[serde(default, alias = "text")]
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub method: String,
    #[serde(default)]
    pub options: Vec<OptionWire>,
    /// A budget vote over funded features of the instance: each one's cost is its goal.
    #[serde(default)]
    pub feature_ids: Vec<String>,
    pub budget_cents: Option<i64>,
    #[serde(default = "half", alias = "majority")]
    pub majority_percent: i64,
    /// In percent of those eligible.
    #[serde(default)]
    pub quorum: Option<i64>,
    #[serde(default = "members")]
    pub eligibility: String,
    #[serde(default)]
    pub secret: bool,
    #[serde(default, alias = "changeable")]
    pub can_change_vote: bool,
    #[serde(default, deserialize_with = "crate::time::instant")]
    pub amend_until: Option<i64>,
    #[serde(default, deserialize_with = "crate::time::instant")]
    pub vote_from: Option<i64>,
    #[serde(default, deserialize_with = "crate::time::instant")]
    pub vote_until: Option<i64>,
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
    /// `features`: those named in `feature_ids`, as found (a missing one is absent).
    pub fn check(self, now: i64, features: &[BudgetFeature]) -> Result<ProposalRequest, ApiError> {
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
        let options = if self.feature_ids.is_empty() {
            self.options.into_iter().map(OptionInput::from).collect()
        } else {
            budget_options(method, &community, &self.feature_ids, features)?
        };
        if options
            .iter()
            .any(|o| !(1..=160).contains(&o.label.trim().chars().count()))
        {
            return Err(invalid("options"));
        }
        let count = options.len();
        let question = match method {
            Method::Motion if count == 0 => Question::Motion,
            Method::Choice if (2..=MAX_OPTIONS).contains(&count) => {
                Question::Choice { options: count }
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
                let field = if self.feature_ids.is_empty() {
                    "options"
                } else {
                    "feature_ids"
                };
                Question::Budget {
                    costs: costs.ok_or_else(|| invalid(field))?,
                    budget_cents: budget,
                }
            }
            Method::Budget => return Err(invalid("feature_ids")),
            _ => return Err(invalid("options")),
        };
        let budget_cents = matches!(question, Question::Budget { .. })
            .then_some(self.budget_cents)
            .flatten();
        let vote_until = self.vote_until.ok_or_else(|| invalid("vote_until"))?;
        Ok(ProposalRequest {
            community,
            title,
            body,
            tags,
            question,
            options,
            budget_cents,
            rules: Rules::check(self.majority_percent, self.quorum.unwrap_or(0))?,
            eligibility: Eligibility::parse(&self.eligibility)
                .ok_or_else(|| invalid("eligibility"))?,
            secret: self.secret,
            changeable: self.can_change_vote,
            schedule: ProposalSchedule::check(self.amend_until, self.vote_from, vote_until, now)?,
        })
    }
}

/// A budget vote's options from the instance's funded features, in the order named, each
/// costing its goal; 400 on `feature_ids` for a feature unknown, named twice or not funded and
/// waiting, or outside a budget vote of the instance.
fn budget_options(
    method: super::method::Method,
    community: &str,
    ids: &[String],
    features: &[BudgetFeature],
) -> Result<Vec<OptionInput>, ApiError> {
    if method != super::method::Method::Budget || community != "instance" {
        return Err(invalid("feature_ids"));
    }
    let mut options: Vec<OptionInput> = Vec::with_capacity(ids.len());
    for id in ids {
        let feature = features
            .iter()
            .find(|f| &f.id == id && f.status == FeatureStatus::Funded)
            .filter(|_| !options.iter().any(|o| o.feature_id.as_ref() == Some(id)))
            .ok_or_else(|| invalid("feature_ids"))?;
        options.push(OptionInput {
            label: feature.title.clone(),
            cost_cents: Some(feature.goal_cents),
            feature_id: Some(feature.id.clone()),
        });
    }
    Ok(options)
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

    fn input(method: &str, options: Vec<OptionWire>) -> ProposalInput {
        ProposalInput {
            community: "e_1".into(),
            title: "Ouvrir le samedi".into(),
            body: "Le local ouvrirait le samedi matin.".into(),
            tags: vec![" horaires ".into(), "".into()],
            method: method.into(),
            options,
            feature_ids: vec![],
            budget_cents: None,
            majority_percent: 50,
            quorum: Some(20),
            eligibility: "members".into(),
            secret: false,
            can_change_vote: true,
            amend_until: Some(NOW + DAY),
            vote_from: None,
            vote_until: Some(NOW + 3 * DAY),
        }
    }

    fn option(label: &str, cost: Option<i64>) -> OptionWire {
        OptionWire::Full(OptionInput {
            label: label.into(),
            cost_cents: cost,
            feature_id: None,
        })
    }

    fn field(result: Result<ProposalRequest, ApiError>) -> Option<String> {
        result.err().and_then(|e| e.field)
    }

    #[test]
    fn a_motion_has_no_options_and_a_choice_at_least_two() {
        let motion = input("motion", vec![]).check(NOW, &[]).unwrap();
        assert_eq!(motion.question, Question::Motion);
        assert_eq!(motion.tags, ["horaires"]);
        assert_eq!(
            field(input("motion", vec![option("a", None)]).check(NOW, &[])),
            Some("options".into())
        );
        assert_eq!(
            field(input("single_choice", vec![option("a", None)]).check(NOW, &[])),
            Some("options".into())
        );
        let choice = input("choice", vec![option("a", None), option("b", None)]);
        assert_eq!(
            choice.check(NOW, &[]).unwrap().question,
            Question::Choice { options: 2 }
        );
        assert_eq!(
            field(input("vote", vec![]).check(NOW, &[])),
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
            field(input("budget", vec![option("x", Some(1))]).check(NOW, &[])),
            Some("budget_cents".into())
        );
        budget.budget_cents = Some(300_000);
        let checked = budget.check(NOW, &[]).unwrap();
        assert_eq!(
            checked.question,
            Question::Budget {
                costs: vec![150_000, 260_000],
                budget_cents: 300_000
            }
        );
        let mut over = input("budget", vec![option("Tout", Some(400_000))]);
        over.budget_cents = Some(300_000);
        assert_eq!(field(over.check(NOW, &[])), Some("options".into()));
        let mut free = input("budget", vec![option("Rien", None)]);
        free.budget_cents = Some(300_000);
        assert_eq!(field(free.check(NOW, &[])), Some("options".into()));
    }

    #[test]
    fn the_contracts_body_is_read_with_its_names_and_times() {
        let json = serde_json::json!({
            "community": "instance", "title": "Heure de la réunion", "body": "Quand ?",
            "method": "choice", "options": ["18 h", "20 h"], "majority_percent": 60,
            "quorum": 10, "eligibility": "verified", "secret": true, "can_change_vote": true,
            "amend_until": "2026-11-23T00:00:00Z", "vote_from": "2026-11-23T00:00:00Z",
            "vote_until": "2026-11-25T00:00:00+01:00"
        });
        let now = 1_795_305_600; // 2026-11-22T00:00:00Z
        let input: ProposalInput = serde_json::from_value(json).unwrap();
        let checked = input.check(now, &[]).unwrap();
        assert_eq!(checked.question, Question::Choice { options: 2 });
        assert_eq!(checked.options[1].label, "20 h");
        assert_eq!(checked.rules.majority_percent, 60);
        assert!(checked.secret && checked.changeable);
        assert_eq!(checked.schedule.vote_from, now + DAY);
        assert_eq!(checked.schedule.vote_until, now + 3 * DAY - 3600);
        let missing: ProposalInput = serde_json::from_value(serde_json::json!({
            "community": "instance", "title": "Sans fin", "method": "motion"
        }))
        .unwrap();
        assert_eq!(field(missing.check(now, &[])), Some("vote_until".into()));
    }

    #[test]
    fn a_budget_over_features_takes_funded_ones_at_their_goal() {
        let feature = |id: &str, goal, status| BudgetFeature {
            id: id.into(),
            title: format!("Fonction {id}"),
            goal_cents: goal,
            status,
        };
        let features = [
            feature("f_1", 260_000, FeatureStatus::Funded),
            feature("f_2", 150_000, FeatureStatus::Funded),
            feature("f_3", 100_000, FeatureStatus::Funding),
        ];
        let budget = |ids: &[&str], community: &str| {
            let mut input = input("budget", vec![]);
            input.community = community.into();
            input.feature_ids = ids.iter().map(|i| i.to_string()).collect();
            input.budget_cents = Some(300_000);
            input.check(NOW, &features)
        };
        let checked = budget(&["f_2", "f_1"], "instance").unwrap();
        assert_eq!(
            checked.question,
            Question::Budget {
                costs: vec![150_000, 260_000],
                budget_cents: 300_000
            }
        );
        assert_eq!(checked.options[0].feature_id.as_deref(), Some("f_2"));
        assert_eq!(checked.options[0].label, "Fonction f_2");
        for bad in [
            budget(&["f_3"], "instance"),
            budget(&["f_9"], "instance"),
            budget(&["f_1", "f_1"], "instance"),
            budget(&["f_1"], "e_1"),
        ] {
            assert_eq!(field(bad), Some("feature_ids".into()));
        }
    }

    #[test]
    fn rules_eligibility_and_schedule_are_checked() {
        let mut bad = input("motion", vec![]);
        bad.majority_percent = 40;
        assert_eq!(field(bad.check(NOW, &[])), Some("majority".into()));
        let mut who = input("motion", vec![]);
        who.eligibility = "everyone".into();
        assert_eq!(field(who.check(NOW, &[])), Some("eligibility".into()));
        let mut late = input("motion", vec![]);
        late.amend_until = Some(NOW + 4 * DAY);
        assert_eq!(field(late.check(NOW, &[])), Some("amend_until".into()));
    }

    #[test]
    fn eligibility_is_decided_from_what_the_server_knows() {
        use Eligibility as E;
        let voter = |signed_in, member, donor, instance_admin| Voter {
            signed_in,
            member,
            donor,
            instance_admin,
        };
        let status = |e: E, v: Voter| e.admits(v).err().map(|e| e.status());
        assert_eq!(
            status(E::Members, voter(false, true, true, true)),
            Some(401)
        );
        assert_eq!(
            status(E::Members, voter(true, false, true, true)),
            Some(403)
        );
        assert_eq!(status(E::Members, voter(true, true, false, false)), None);
        assert_eq!(
            status(E::Donors, voter(true, true, false, false)),
            Some(403)
        );
        assert_eq!(status(E::Donors, voter(true, false, true, false)), None);
        assert_eq!(
            status(E::Donors, voter(true, false, false, true)),
            None,
            "the admin who opened an instance proposal votes on it"
        );
        assert_eq!(status(E::Verified, voter(true, false, false, false)), None);
        assert!(!results_visible(true, false) && results_visible(true, true));
        assert!(results_visible(false, false));
    }
}
