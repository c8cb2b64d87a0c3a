//! What a closed proposal resolves: its method's tally, the quorum, and the outcome.

use super::ballot::Ballot;
use super::budget::{self, BudgetTally};
use super::choice::{self, ChoiceTally};
use super::judgment::{self, JudgmentTally};
use super::method::Question;
use super::motion::{self, MotionTally};
use super::rules::Rules;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Adopted,
    /// A motion whose for-share did not exceed the majority, quorum met.
    Refused,
    /// The quorum was not met, or no single winner came out (a tie, or no option kept).
    NoDecision,
}

/// The tally of the proposal's method, tagged with it: `{"method": "motion", "for": 6, …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Tally {
    Motion(MotionTally),
    Choice(ChoiceTally),
    MajorityJudgment(JudgmentTally),
    Budget(BudgetTally),
}

impl Tally {
    /// Counts the ballots of the question's method; ballots of another method, which
    /// `check_ballot` lets none through, are left out.
    pub fn count(question: &Question, rules: Rules, ballots: &[Ballot]) -> Tally {
        match question {
            Question::Motion => Tally::Motion(motion::tally(
                ballots.iter().filter_map(|b| match b {
                    Ballot::Motion { choice } => Some(*choice),
                    _ => None,
                }),
                rules.majority_percent,
            )),
            Question::Choice { options } => Tally::Choice(choice::tally(
                *options,
                ballots.iter().filter_map(|b| match b {
                    Ballot::Choice { option } => Some(*option),
                    _ => None,
                }),
            )),
            Question::MajorityJudgment { options } => Tally::MajorityJudgment(judgment::tally(
                *options,
                ballots.iter().filter_map(|b| match b {
                    Ballot::MajorityJudgment { grades } => Some(grades.as_slice()),
                    _ => None,
                }),
            )),
            Question::Budget {
                costs,
                budget_cents,
            } => Tally::Budget(budget::tally(
                costs,
                *budget_cents,
                ballots.iter().filter_map(|b| match b {
                    Ballot::Budget { approve } => Some(approve.as_slice()),
                    _ => None,
                }),
            )),
        }
    }

    pub fn participation(&self) -> u64 {
        match self {
            Tally::Motion(t) => t.participation,
            Tally::Choice(t) => t.participation,
            Tally::MajorityJudgment(t) => t.participation,
            Tally::Budget(t) => t.participation,
        }
    }

    /// The options the vote chose, quorum aside: the single winner, or the budget's kept
    /// options in the order they were taken. None for a motion, which is about its own text.
    pub fn winners(&self) -> Vec<usize> {
        match self {
            Tally::Motion(_) => Vec::new(),
            Tally::Choice(t) => t.winner.into_iter().collect(),
            Tally::MajorityJudgment(t) => t.winner.into_iter().collect(),
            Tally::Budget(t) => t.winners.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub outcome: Outcome,
    pub participation: u64,
    pub eligible: u64,
    pub quorum_percent: u8,
    pub quorum_met: bool,
    /// The options adopted; empty for a motion and when nothing is decided.
    pub winners: Vec<usize>,
    pub tally: Tally,
}

/// Without the quorum, nothing is decided, whatever the ballots say. With it, a motion is
/// adopted when its for-share exceeds the majority and refused otherwise; the other methods
/// adopt their winners, and decide nothing on a tie or when no option was kept.
pub fn resolve(question: &Question, rules: Rules, eligible: u64, ballots: &[Ballot]) -> Resolution {
    let tally = Tally::count(question, rules, ballots);
    let participation = tally.participation();
    let quorum_met = rules.quorum_met(participation, eligible);
    let winners = tally.winners();
    let outcome = match &tally {
        _ if !quorum_met => Outcome::NoDecision,
        Tally::Motion(t) if t.majority => Outcome::Adopted,
        Tally::Motion(_) => Outcome::Refused,
        _ if winners.is_empty() => Outcome::NoDecision,
        _ => Outcome::Adopted,
    };
    Resolution {
        outcome,
        participation,
        eligible,
        quorum_percent: rules.quorum_percent,
        quorum_met,
        winners: if outcome == Outcome::Adopted {
            winners
        } else {
            Vec::new()
        },
        tally,
    }
}

/// The API's `results` of a proposal, computed now for a live tally or as recorded at the
/// close: `ballots` cast, those `eligible`, `quorum_met`, the method's `tallies`, the `outcome`
/// (adopted, refused, no_decision) and, for the methods with options, the `winners` by the
/// names ballots use (feature ids for a budget over features, else labels).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    pub ballots: u64,
    pub eligible: u64,
    pub quorum_percent: u8,
    pub quorum_met: bool,
    pub tallies: Tally,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub winners: Option<Vec<String>>,
}

impl Resolution {
    /// What the API and the page show of it; `names` are the options' names, in order.
    pub fn results(&self, names: &[String]) -> Results {
        let winners = match self.tally {
            Tally::Motion(_) => None,
            _ => Some(
                self.winners
                    .iter()
                    .filter_map(|i| names.get(*i).cloned())
                    .collect(),
            ),
        };
        Results {
            ballots: self.participation,
            eligible: self.eligible,
            quorum_percent: self.quorum_percent,
            quorum_met: self.quorum_met,
            tallies: self.tally.clone(),
            outcome: self.outcome,
            winners,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ballot::MotionChoice;
    use super::*;
    use serde_json::json;

    fn rules(majority: i64, quorum: i64) -> Rules {
        Rules::check(majority, quorum).unwrap()
    }

    fn motion(for_: usize, against: usize, blank: usize) -> Vec<Ballot> {
        let choices = [
            (MotionChoice::For, for_),
            (MotionChoice::Against, against),
            (MotionChoice::Blank, blank),
        ];
        choices
            .into_iter()
            .flat_map(|(choice, n)| std::iter::repeat_n(Ballot::Motion { choice }, n))
            .collect()
    }

    #[test]
    fn blank_ballots_make_the_quorum_of_an_adopted_motion() {
        // 30 eligible, quorum 50 %: 3 for, 1 against and 11 blank make 15 ballots, enough.
        let r = resolve(&Question::Motion, rules(50, 50), 30, &motion(3, 1, 11));
        assert_eq!(
            (r.outcome, r.participation, r.quorum_met),
            (Outcome::Adopted, 15, true)
        );
        // Without the blank ballots, the same sides fall short of the quorum.
        let r = resolve(&Question::Motion, rules(50, 50), 30, &motion(3, 1, 0));
        assert_eq!((r.outcome, r.quorum_met), (Outcome::NoDecision, false));
    }

    #[test]
    fn a_motion_exactly_at_the_majority_is_refused() {
        let r = resolve(&Question::Motion, rules(50, 0), 10, &motion(5, 5, 0));
        assert_eq!(r.outcome, Outcome::Refused);
        let r = resolve(&Question::Motion, rules(50, 0), 10, &motion(5, 4, 1));
        assert_eq!(r.outcome, Outcome::Adopted);
        assert!(r.winners.is_empty());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["outcome"], "adopted");
        let shown = serde_json::to_value(r.results(&[])).unwrap();
        assert!(shown.get("winners").is_none(), "a motion is about its text");
        assert_eq!(shown["quorum_met"], true);
        let stored: Resolution = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(stored, r, "a resolution reads back as it was recorded");
        assert_eq!(json["tally"]["method"], "motion");
        assert_eq!(json["tally"]["for"], 5);
    }

    #[test]
    fn a_winner_is_adopted_and_a_tie_decides_nothing() {
        let question = Question::Choice { options: 3 };
        let ballots: Vec<Ballot> = [2, 2, 0].map(|option| Ballot::Choice { option }).to_vec();
        let r = resolve(&question, rules(50, 10), 20, &ballots);
        assert_eq!((r.outcome, r.winners.clone()), (Outcome::Adopted, vec![2]));
        assert_eq!(serde_json::to_value(&r).unwrap()["tally"]["counts"][2], 2);
        let tied = &ballots[1..];
        let r = resolve(&question, rules(50, 10), 20, tied);
        assert_eq!((r.outcome, r.winners.len()), (Outcome::NoDecision, 0));
        let r = resolve(&question, rules(50, 20), 20, &ballots);
        assert_eq!((r.outcome, r.winners.len()), (Outcome::NoDecision, 0));
    }

    #[test]
    fn judgment_and_budget_adopt_their_winners() {
        let question = Question::MajorityJudgment { options: 2 };
        let ballots = [[1, 4], [2, 3], [0, 5]]
            .map(|g| Ballot::MajorityJudgment { grades: g.to_vec() })
            .to_vec();
        let r = resolve(&question, rules(50, 0), 3, &ballots);
        assert_eq!((r.outcome, r.winners.clone()), (Outcome::Adopted, vec![1]));
        assert_eq!(
            serde_json::to_value(&r).unwrap()["tally"]["method"],
            "majority_judgment"
        );

        let question = Question::Budget {
            costs: vec![600, 300, 200],
            budget_cents: 800,
        };
        let ballots = [vec![0, 2], vec![0], vec![1, 2]]
            .map(|approve| Ballot::Budget { approve })
            .to_vec();
        let r = resolve(&question, rules(50, 0), 3, &ballots);
        assert_eq!(
            (r.outcome, r.winners.clone()),
            (Outcome::Adopted, vec![2, 0])
        );
        let names = ["f_a".to_string(), "f_b".into(), "f_c".into()];
        let stored: Resolution = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(stored, r, "a resolution reads back as it was recorded");
        let shown = serde_json::to_value(r.results(&names)).unwrap();
        assert_eq!(shown["winners"], json!(["f_c", "f_a"]));
        assert_eq!(
            (shown["ballots"].as_u64(), shown["eligible"].as_u64()),
            (Some(3), Some(3))
        );
        assert_eq!(shown["outcome"], "adopted");
        assert_eq!(shown["tallies"]["method"], "budget");
        let nobody = resolve(
            &question,
            rules(50, 0),
            3,
            &[Ballot::Budget { approve: vec![] }],
        );
        assert_eq!(nobody.outcome, Outcome::NoDecision);
    }

    #[test]
    fn ballots_of_another_method_are_left_out() {
        let mut ballots = motion(2, 0, 0);
        ballots.push(Ballot::Choice { option: 0 });
        let r = resolve(&Question::Motion, rules(50, 0), 5, &ballots);
        assert_eq!(r.participation, 2);
    }
}
