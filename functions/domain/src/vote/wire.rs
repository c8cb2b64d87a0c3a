//! Ballots as the API contract sends them, named by what voters see: motion `{"value"}`, choice
//! `{"option": label}`, majority judgment `{"grades": {label: 0..5}}`, budget
//! `{"feature_ids": [..]}`. They are read into the stored form (`Ballot`), by option index, and
//! checked there; the stored form is taken as sent too (the pages' forms post it).

use super::ballot::{Ballot, check_ballot};
use super::method::Question;
use crate::error::ApiError;
use serde_json::{Map, Value, json};

/// The ballot in `raw`, with `names` the options' names (`ProposalRow::option_names`); a
/// refusal names the field the voter sent.
pub fn check_sent(question: &Question, names: &[String], raw: &Value) -> Result<Ballot, ApiError> {
    let empty = Map::new();
    let object = raw.as_object().unwrap_or(&empty);
    let index = |name: &Value| match name {
        Value::String(name) => names
            .iter()
            .position(|n| n == name)
            .map_or(Value::Null, Value::from),
        other => other.clone(),
    };
    let (sent, stored) = match object.iter().next() {
        Some((key, value)) if object.len() == 1 => match key.as_str() {
            "value" => ("value", json!({ "choice": value })),
            "option" => ("option", json!({ "option": index(value) })),
            "grades" if value.is_object() => ("grades", json!({ "grades": grades(value, names) })),
            "feature_ids" => {
                let approve: Option<Vec<Value>> =
                    value.as_array().map(|ids| ids.iter().map(index).collect());
                ("feature_ids", json!({ "approve": approve }))
            }
            _ => ("", raw.clone()),
        },
        _ => ("", raw.clone()),
    };
    check_ballot(question, &stored).map_err(|mut error| {
        if !sent.is_empty() {
            error.field = Some(sent.to_string());
        }
        error
    })
}

/// Grades by option name, in the options' order; an option left out is graded 0 (« À
/// rejeter », as majority judgment treats a blank), and a name that is no option spoils it.
fn grades(sent: &Value, names: &[String]) -> Value {
    let map = sent.as_object().cloned().unwrap_or_default();
    if map.keys().any(|k| !names.contains(k)) {
        return Value::Null;
    }
    names
        .iter()
        .map(|n| map.get(n).cloned().unwrap_or(json!(0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::ballot::MotionChoice;
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| n.to_string()).collect()
    }

    fn field(question: &Question, names: &[String], raw: Value) -> String {
        check_sent(question, names, &raw)
            .unwrap_err()
            .field
            .unwrap_or_default()
    }

    #[test]
    fn the_contracts_forms_are_read_by_name() {
        let labels = names(&["18 h", "20 h", "22 h"]);
        let motion = check_sent(&Question::Motion, &[], &json!({"value": "against"}));
        assert_eq!(
            motion.unwrap(),
            Ballot::Motion {
                choice: MotionChoice::Against
            }
        );
        let choice = Question::Choice { options: 3 };
        let picked = check_sent(&choice, &labels, &json!({"option": "20 h"})).unwrap();
        assert_eq!(picked, Ballot::Choice { option: 1 });
        let judgment = Question::MajorityJudgment { options: 3 };
        let graded = check_sent(
            &judgment,
            &labels,
            &json!({"grades": {"22 h": 5, "18 h": 2}}),
        );
        assert_eq!(
            graded.unwrap(),
            Ballot::MajorityJudgment {
                grades: vec![2, 0, 5]
            }
        );
        let budget = Question::Budget {
            costs: vec![500, 300, 400],
            budget_cents: 800,
        };
        let features = names(&["f_a", "f_b", "f_c"]);
        let approved = check_sent(&budget, &features, &json!({"feature_ids": ["f_c", "f_b"]}));
        assert_eq!(
            approved.unwrap(),
            Ballot::Budget {
                approve: vec![1, 2]
            }
        );
        let stored = check_sent(&choice, &labels, &json!({"option": 2})).unwrap();
        assert_eq!(
            stored,
            Ballot::Choice { option: 2 },
            "the stored form is taken too"
        );
    }

    #[test]
    fn refusals_name_the_field_sent() {
        let labels = names(&["a", "b"]);
        let choice = Question::Choice { options: 2 };
        assert_eq!(field(&choice, &labels, json!({"option": "c"})), "option");
        assert_eq!(
            field(&Question::Motion, &[], json!({"value": "peut-être"})),
            "value"
        );
        let judgment = Question::MajorityJudgment { options: 2 };
        assert_eq!(
            field(&judgment, &labels, json!({"grades": {"z": 1}})),
            "grades"
        );
        assert_eq!(
            field(&judgment, &labels, json!({"grades": {"a": 6}})),
            "grades"
        );
        let budget = Question::Budget {
            costs: vec![500, 400],
            budget_cents: 800,
        };
        let features = names(&["f_a", "f_b"]);
        assert_eq!(
            field(&budget, &features, json!({"feature_ids": ["f_a", "f_b"]})),
            "feature_ids"
        );
        assert_eq!(
            field(&budget, &features, json!({"feature_ids": ["f_x"]})),
            "feature_ids"
        );
        assert_eq!(
            field(&choice, &labels, json!({"value": "for", "x": 1})),
            "value"
        );
    }
}
