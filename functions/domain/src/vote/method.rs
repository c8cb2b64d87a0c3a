//! The ways a proposal can be voted on, the question each one puts to voters, and the grades of
//! majority judgment.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Motion,
    #[serde(alias = "single_choice")]
    Choice,
    MajorityJudgment,
    Budget,
}

impl Method {
    pub const ALL: [Method; 4] = [
        Method::Motion,
        Method::Choice,
        Method::MajorityJudgment,
        Method::Budget,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Motion => "motion",
            Method::Choice => "choice",
            Method::MajorityJudgment => "majority_judgment",
            Method::Budget => "budget",
        }
    }

    /// Also reads "single_choice", the name stored by schema 4 and taken by the first API.
    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "single_choice" => Some(Method::Choice),
            _ => Method::ALL.into_iter().find(|m| m.as_str() == text),
        }
    }

    /// The `proposal.method` column's value: its CHECK (migration 0004) predates the name
    /// "choice", and a CHECK cannot be altered without rebuilding the table.
    pub fn stored(self) -> &'static str {
        match self {
            Method::Choice => "single_choice",
            other => other.as_str(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Motion => "Motion",
            Method::Choice => "Choix unique",
            Method::MajorityJudgment => "Jugement majoritaire",
            Method::Budget => "Budget participatif",
        }
    }

    /// The rule, as shown next to the ballot and the results: nobody should vote without it.
    pub fn rule(self) -> &'static str {
        match self {
            Method::Motion => {
                "Pour, contre ou blanc. Les votes blancs comptent pour la participation et le \
                 quorum, pas dans la part des « pour », calculée sur les « pour » et « contre ». \
                 La motion est adoptée si cette part dépasse strictement la majorité requise et \
                 si le quorum est atteint."
            }
            Method::Choice => {
                "Une option par bulletin. L’option qui recueille le plus de voix l’emporte, \
                 si le quorum est atteint ; une égalité en tête ne décide rien."
            }
            Method::MajorityJudgment => {
                "Chaque option reçoit une mention, de « À rejeter » à « Excellent ». Sa mention \
                 majoritaire est la médiane de ses mentions (la plus basse des deux si leur nombre \
                 est pair) ; la meilleure l’emporte. Entre options de même mention majoritaire, \
                 on retire une à une une mention majoritaire de chacune et l’on reprend la \
                 médiane, jusqu’à ce qu’elles diffèrent. Des profils identiques restent à égalité."
            }
            Method::Budget => {
                "Chaque bulletin approuve les options de son choix, dans la limite du budget. \
                 Les options sont prises par nombre d’approbations décroissant (puis la moins \
                 chère, puis la première de la liste) ; chacune est retenue si elle tient dans ce \
                 qui reste du budget, sinon elle est passée et l’on essaie les suivantes. Le \
                 budget n’est jamais dépassé."
            }
        }
    }
}

/// What voters are asked: the method, with what its ballots are checked and tallied against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    Motion,
    Choice {
        options: usize,
    },
    MajorityJudgment {
        options: usize,
    },
    /// Each option's cost and the budget, in cents.
    Budget {
        costs: Vec<i64>,
        budget_cents: i64,
    },
}

impl Question {
    pub fn method(&self) -> Method {
        match self {
            Question::Motion => Method::Motion,
            Question::Choice { .. } => Method::Choice,
            Question::MajorityJudgment { .. } => Method::MajorityJudgment,
            Question::Budget { .. } => Method::Budget,
        }
    }

    /// How many options a ballot chooses among (none for a motion: it is the text itself).
    pub fn options(&self) -> usize {
        match self {
            Question::Motion => 0,
            Question::Choice { options } | Question::MajorityJudgment { options } => *options,
            Question::Budget { costs, .. } => costs.len(),
        }
    }
}

/// The best grade of majority judgment; 0 is the worst.
pub const MAX_GRADE: u8 = 5;

/// The grades' words, worst first, as on the ballot.
pub const GRADES: [&str; 6] = [
    "À rejeter",
    "Insuffisant",
    "Passable",
    "Assez bien",
    "Bien",
    "Excellent",
];

/// A grade's word; empty for a grade that does not exist.
pub fn grade_label(grade: u8) -> &'static str {
    GRADES.get(usize::from(grade)).copied().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_stored_in_snake_case() {
        for method in Method::ALL {
            assert_eq!(Method::parse(method.as_str()), Some(method));
            let json = serde_json::to_value(method).unwrap();
            assert_eq!(json, method.as_str());
            assert!(!method.rule().is_empty() && !method.label().is_empty());
        }
        assert_eq!(Method::parse("approval"), None);
        assert_eq!(Method::parse("single_choice"), Some(Method::Choice));
        assert_eq!(Method::Choice.stored(), "single_choice");
        assert_eq!(Method::Budget.stored(), "budget");
        assert_eq!(
            serde_json::from_str::<Method>("\"majority_judgment\"").unwrap(),
            Method::MajorityJudgment
        );
    }

    #[test]
    fn grades_go_from_reject_to_excellent() {
        assert_eq!(grade_label(0), "À rejeter");
        assert_eq!(grade_label(3), "Assez bien");
        assert_eq!(grade_label(MAX_GRADE), "Excellent");
        assert_eq!(grade_label(6), "");
    }

    #[test]
    fn a_question_knows_its_method_and_options() {
        let budget = Question::Budget {
            costs: vec![100, 200],
            budget_cents: 250,
        };
        assert_eq!((budget.method(), budget.options()), (Method::Budget, 2));
        assert_eq!(Question::Motion.options(), 0);
        assert_eq!(
            Question::MajorityJudgment { options: 3 }.method(),
            Method::MajorityJudgment
        );
    }
}
