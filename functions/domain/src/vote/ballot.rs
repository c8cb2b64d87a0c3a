//! What a voter sends, checked against the question, and the canonical form in which a ballot is
//! stored: the same JSON whatever the order or spacing the voter used, so that stored ballots can
//! be compared and counted again.

use super::method::{MAX_GRADE, Question};
use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionChoice {
    For,
    Against,
    /// Present but taking no side: counts for participation and the quorum only.
    Blank,
}

/// A checked ballot. It serializes as the voter's own form, one key per method:
/// `{"choice":"for"}`, `{"option":2}`, `{"grades":[5,3,0]}`, `{"approve":[0,2]}` (sorted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Ballot {
    Motion {
        choice: MotionChoice,
    },
    Choice {
        option: usize,
    },
    /// One grade per option, in the options' order.
    MajorityJudgment {
        grades: Vec<u8>,
    },
    /// The approved options, distinct and ascending; possibly none.
    Budget {
        approve: Vec<usize>,
    },
}

/// The ballot in `raw`, or 400 `invalid_field` naming the field at fault (a missing or malformed
/// one, or any key the method does not take).
pub fn check_ballot(question: &Question, raw: &Value) -> Result<Ballot, ApiError> {
    let invalid = |field: &str| ApiError::on_field(ErrorCode::InvalidField, field);
    let field = match question {
        Question::Motion => "choice",
        Question::Choice { .. } => "option",
        Question::MajorityJudgment { .. } => "grades",
        Question::Budget { .. } => "approve",
    };
    let empty = Map::new();
    let object = raw.as_object().unwrap_or(&empty);
    if let Some(other) = object.keys().find(|k| *k != field) {
        return Err(invalid(other));
    }
    let value = object.get(field).ok_or_else(|| invalid(field))?;
    let options = question.options();
    let index = |v: &Value| {
        v.as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .filter(|i| *i < options)
    };
    let ballot = match question {
        Question::Motion => MotionChoice::deserialize(value)
            .ok()
            .map(|choice| Ballot::Motion { choice }),
        Question::Choice { .. } => index(value).map(|option| Ballot::Choice { option }),
        Question::MajorityJudgment { .. } => value
            .as_array()
            .filter(|grades| grades.len() == options)
            .and_then(|grades| {
                grades
                    .iter()
                    .map(|g| g.as_u64().and_then(|g| u8::try_from(g).ok()))
                    .map(|g| g.filter(|g| *g <= MAX_GRADE))
                    .collect::<Option<Vec<u8>>>()
            })
            .map(|grades| Ballot::MajorityJudgment { grades }),
        Question::Budget {
            costs,
            budget_cents,
        } => value
            .as_array()
            .and_then(|approved| approved.iter().map(index).collect::<Option<Vec<_>>>())
            .and_then(|mut approve| {
                let count = approve.len();
                approve.sort_unstable();
                approve.dedup();
                let total = approve
                    .iter()
                    .try_fold(0i64, |sum, i| sum.checked_add(costs[*i]))?;
                (approve.len() == count && total <= *budget_cents)
                    .then_some(Ballot::Budget { approve })
            }),
    };
    ballot.ok_or_else(|| invalid(field))
}

impl Ballot {
    /// The stored text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(question: &Question, raw: Value) -> String {
        check_ballot(question, &raw)
            .unwrap_err()
            .field
            .unwrap_or_default()
    }

    fn budget() -> Question {
        Question::Budget {
            costs: vec![500, 300, 400],
            budget_cents: 800,
        }
    }

    #[test]
    fn each_method_takes_its_own_form() {
        let motion = check_ballot(&Question::Motion, &json!({"choice": "blank"})).unwrap();
        assert_eq!(
            motion,
            Ballot::Motion {
                choice: MotionChoice::Blank
            }
        );
        let single = Question::Choice { options: 3 };
        assert_eq!(
            check_ballot(&single, &json!({"option": 2})).unwrap(),
            Ballot::Choice { option: 2 }
        );
        let judgment = Question::MajorityJudgment { options: 3 };
        assert_eq!(
            check_ballot(&judgment, &json!({"grades": [5, 3, 0]})).unwrap(),
            Ballot::MajorityJudgment {
                grades: vec![5, 3, 0]
            }
        );
        assert_eq!(
            check_ballot(&budget(), &json!({"approve": [2, 1]})).unwrap(),
            Ballot::Budget {
                approve: vec![1, 2]
            }
        );
        assert_eq!(
            check_ballot(&budget(), &json!({"approve": []})).unwrap(),
            Ballot::Budget { approve: vec![] }
        );
    }

    #[test]
    fn ballots_are_stored_in_one_canonical_form() {
        let cases = [
            (
                Question::Motion,
                json!({"choice": "for"}),
                r#"{"choice":"for"}"#,
            ),
            (
                Question::Choice { options: 3 },
                json!({"option": 2}),
                r#"{"option":2}"#,
            ),
            (
                Question::MajorityJudgment { options: 3 },
                json!({"grades": [5, 3, 0]}),
                r#"{"grades":[5,3,0]}"#,
            ),
            (budget(), json!({"approve": [2, 1]}), r#"{"approve":[1,2]}"#),
        ];
        for (question, raw, text) in cases {
            let ballot = check_ballot(&question, &raw).unwrap();
            assert_eq!(ballot.to_text(), text);
            assert_eq!(serde_json::from_str::<Ballot>(text).unwrap(), ballot);
        }
    }

    #[test]
    fn bad_ballots_name_their_field() {
        let motion = Question::Motion;
        assert_eq!(field(&motion, json!({"choice": "maybe"})), "choice");
        assert_eq!(field(&motion, json!({"choice": "For"})), "choice");
        assert_eq!(field(&motion, json!({})), "choice");
        assert_eq!(field(&motion, json!("for")), "choice");
        assert_eq!(field(&motion, json!({"choice": "for", "note": 1})), "note");

        let single = Question::Choice { options: 3 };
        assert_eq!(field(&single, json!({"option": 3})), "option");
        assert_eq!(field(&single, json!({"option": -1})), "option");
        assert_eq!(field(&single, json!({"option": 1.5})), "option");
        assert_eq!(field(&single, json!({"option": "1"})), "option");
        assert_eq!(field(&single, json!({"choice": "for"})), "choice");

        let judgment = Question::MajorityJudgment { options: 3 };
        assert_eq!(field(&judgment, json!({"grades": [5, 3]})), "grades");
        assert_eq!(field(&judgment, json!({"grades": [5, 3, 0, 1]})), "grades");
        assert_eq!(field(&judgment, json!({"grades": [5, 6, 0]})), "grades");
        assert_eq!(field(&judgment, json!({"grades": [5, 256, 0]})), "grades");
        assert_eq!(field(&judgment, json!({"grades": [5, null, 0]})), "grades");
        assert_eq!(field(&judgment, json!({"grades": 5})), "grades");

        assert_eq!(field(&budget(), json!({"approve": [1, 1]})), "approve");
        assert_eq!(field(&budget(), json!({"approve": [3]})), "approve");
        assert_eq!(field(&budget(), json!({"approve": 1})), "approve");
    }

    #[test]
    fn a_budget_ballot_must_fit_the_budget() {
        // 500 + 300 = 800 fits exactly; 500 + 400 does not.
        assert!(check_ballot(&budget(), &json!({"approve": [0, 1]})).is_ok());
        assert_eq!(field(&budget(), json!({"approve": [0, 2]})), "approve");
        let huge = Question::Budget {
            costs: vec![i64::MAX, i64::MAX],
            budget_cents: i64::MAX,
        };
        assert_eq!(field(&huge, json!({"approve": [0, 1]})), "approve");
    }
}
