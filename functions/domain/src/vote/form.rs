//! The community page's form to open a proposal, as typed: kept whole to be shown again with
//! an error, and read into the API's `ProposalInput` (times in the place's local time, money
//! in euros, options one per line, tags separated by commas).

use super::proposal::{OptionWire, ProposalInput};
use crate::error::{ApiError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalForm {
    pub title: String,
    pub body: String,
    pub tags: String,
    pub method: String,
    /// One option per line.
    pub options: String,
    pub feature_ids: Vec<String>,
    pub budget_euros: String,
    pub majority_percent: String,
    pub quorum: String,
    pub eligibility: String,
    pub secret: bool,
    pub can_change_vote: bool,
    /// `datetime-local` values.
    pub amend_until: String,
    pub vote_from: String,
    pub vote_until: String,
}

impl ProposalForm {
    /// What a new form shows: a motion, a simple majority, no quorum, for the community's
    /// members (the instance's donors).
    pub fn blank(instance: bool) -> ProposalForm {
        ProposalForm {
            title: String::new(),
            body: String::new(),
            tags: String::new(),
            method: "motion".into(),
            options: String::new(),
            feature_ids: Vec::new(),
            budget_euros: String::new(),
            majority_percent: "50".into(),
            quorum: "0".into(),
            eligibility: if instance { "donors" } else { "members" }.into(),
            secret: false,
            can_change_vote: false,
            amend_until: String::new(),
            vote_from: String::new(),
            vote_until: String::new(),
        }
    }

    /// From the posted fields (a checkbox is there when ticked).
    pub fn from_fields(fields: &[(String, String)], instance: bool) -> ProposalForm {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let blank = ProposalForm::blank(instance);
        ProposalForm {
            title: get("title").unwrap_or_default(),
            body: get("body").unwrap_or_default(),
            tags: get("tags").unwrap_or_default(),
            method: get("method").unwrap_or(blank.method),
            options: get("options").unwrap_or_default(),
            feature_ids: fields
                .iter()
                .filter(|(k, _)| k == "feature_ids")
                .map(|(_, v)| v.clone())
                .collect(),
            budget_euros: get("budget_euros").unwrap_or_default(),
            majority_percent: get("majority_percent").unwrap_or(blank.majority_percent),
            quorum: get("quorum").unwrap_or(blank.quorum),
            eligibility: get("eligibility").unwrap_or(blank.eligibility),
            secret: get("secret").is_some(),
            can_change_vote: get("can_change_vote").is_some(),
            amend_until: get("amend_until").unwrap_or_default(),
            vote_from: get("vote_from").unwrap_or_default(),
            vote_until: get("vote_until").unwrap_or_default(),
        }
    }

    /// The API's input for `community`, times read in the département's time (metropolitan
    /// when None); 400 on the field that cannot be read. The rest is checked as for the API.
    pub fn input(
        &self,
        community: &str,
        departement: Option<&str>,
    ) -> Result<ProposalInput, ApiError> {
        let invalid = |field: &str| ApiError::on_field(ErrorCode::InvalidField, field);
        let time = |text: &str, field: &str| -> Result<Option<i64>, ApiError> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            crate::localtime::from_local(departement, text)
                .map(Some)
                .ok_or_else(|| invalid(field))
        };
        let number = |text: &str, field: &str| -> Result<i64, ApiError> {
            text.trim().parse().map_err(|_| invalid(field))
        };
        let with_options = matches!(self.method.as_str(), "choice" | "majority_judgment");
        let budget = self.method == "budget";
        let budget_cents = if budget {
            let euros = self.budget_euros.trim().replace(' ', "").replace(',', ".");
            let cents = euros
                .parse::<f64>()
                .ok()
                .filter(|e| e.is_finite() && *e > 0.0 && *e < 1e9)
                .map(|e| (e * 100.0).round() as i64)
                .ok_or_else(|| invalid("budget_cents"))?;
            Some(cents)
        } else {
            None
        };
        Ok(ProposalInput {
            community: community.to_string(),
            title: self.title.clone(),
            body: self.body.clone(),
            tags: self.tags.split(',').map(|t| t.trim().to_string()).collect(),
            method: self.method.clone(),
            options: if with_options {
                self.options
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| OptionWire::Label(l.to_string()))
                    .collect()
            } else {
                Vec::new()
            },
            feature_ids: if budget {
                self.feature_ids.clone()
            } else {
                Vec::new()
            },
            budget_cents,
            majority_percent: number(&self.majority_percent, "majority_percent")?,
            quorum: Some(number(&self.quorum, "quorum")?),
            eligibility: self.eligibility.clone(),
            secret: self.secret,
            can_change_vote: self.can_change_vote,
            amend_until: time(&self.amend_until, "amend_until")?,
            vote_from: time(&self.vote_from, "vote_from")?,
            vote_until: Some(
                time(&self.vote_until, "vote_until")?.ok_or_else(|| invalid("vote_until"))?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::method::Question;
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const NOW: i64 = 1_795_305_600; // 2026-11-22T00:00:00Z

    #[test]
    fn a_typed_choice_becomes_the_apis_input() {
        let form = ProposalForm::from_fields(
            &fields(&[
                ("title", "Heure de la réunion"),
                ("method", "choice"),
                ("options", "18 h\r\n\r\n 20 h \n"),
                ("tags", "réunion, , horaires"),
                ("majority_percent", "60"),
                ("quorum", "10"),
                ("secret", "on"),
                ("amend_until", "2026-11-23T10:00"),
                ("vote_until", "2026-11-25T18:00"),
            ]),
            false,
        );
        assert!(form.secret && !form.can_change_vote);
        assert_eq!(form.eligibility, "members");
        let checked = form
            .input("e_1", Some("974"))
            .unwrap()
            .check(NOW, &[])
            .unwrap();
        assert_eq!(checked.question, Question::Choice { options: 2 });
        assert_eq!(checked.options[1].label, "20 h");
        assert_eq!(checked.tags, ["réunion", "horaires"]);
        assert_eq!(checked.rules.majority_percent, 60);
        // 10:00 at La Réunion (UTC+4) is 06:00 UTC; the vote opens when amendments close.
        assert_eq!(checked.schedule.amend_until, Some(NOW + 30 * 3600));
        assert_eq!(checked.schedule.vote_from, NOW + 30 * 3600);
    }

    #[test]
    fn what_cannot_be_read_is_named() {
        let field = |pairs: &[(&str, &str)]| {
            ProposalForm::from_fields(&fields(pairs), true)
                .input("instance", None)
                .unwrap_err()
                .field
                .unwrap()
        };
        assert_eq!(field(&[("title", "Sans fin")]), "vote_until");
        assert_eq!(field(&[("vote_until", "jeudi")]), "vote_until");
        let until = ("vote_until", "2026-11-25T18:00");
        assert_eq!(field(&[until, ("quorum", "beaucoup")]), "quorum");
        assert_eq!(
            field(&[until, ("method", "budget"), ("budget_euros", "-3")]),
            "budget_cents"
        );
        let budget = ProposalForm::from_fields(
            &fields(&[
                until,
                ("method", "budget"),
                ("budget_euros", "3 000,50"),
                ("feature_ids", "f_1"),
                ("feature_ids", "f_2"),
            ]),
            true,
        )
        .input("instance", None)
        .unwrap();
        assert_eq!(budget.budget_cents, Some(300_050));
        assert_eq!(budget.feature_ids, ["f_1", "f_2"]);
        assert!(budget.options.is_empty());
    }
}
