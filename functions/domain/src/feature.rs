//! Features to co-fund: what a proposal must hold, how a feature is shown, and how admins steer
//! it along its pipeline once proposed.

use crate::error::{ApiError, ErrorCode};
use crate::funding::{FeatureEvent, FeatureStatus};
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};

/// A hundred euros: below it, nothing worth a development.
pub const MIN_GOAL_CENTS: i64 = 10_000;
/// A hundred thousand euros: above it, split the feature.
pub const MAX_GOAL_CENTS: i64 = 10_000_000;
const DAY: i64 = 24 * 3600;
/// Pledges wait at most about a year.
pub const MAX_DAYS: i64 = 366;

/// `POST /api/features`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub goal_cents: i64,
    pub deadline: String,
    pub currency: Option<String>,
}

/// A proposal, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureRequest {
    pub title: String,
    pub description: String,
    pub goal_cents: i64,
    pub currency: String,
    pub deadline: i64,
}

impl FeatureInput {
    pub fn check(self, now: i64) -> Result<FeatureRequest, ApiError> {
        let title = self.title.trim().to_string();
        if !(3..=120).contains(&title.chars().count()) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "title"));
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > 4000 {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "description"));
        }
        if !(MIN_GOAL_CENTS..=MAX_GOAL_CENTS).contains(&self.goal_cents) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "goal_cents"));
        }
        let currency = crate::donation::currency(self.currency)?;
        Ok(FeatureRequest {
            title,
            description,
            goal_cents: self.goal_cents,
            currency,
            deadline: deadline(&self.deadline, now)?,
        })
    }
}

/// A deadline: an RFC 3339 time, or a date (pledges are taken through that day, Paris time),
/// in the future and within about a year.
pub fn deadline(text: &str, now: i64) -> Result<i64, ApiError> {
    let at = if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        Some(t.timestamp())
    } else {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .map(|t| t.and_utc().timestamp())
            .map(|t| t - crate::localtime::offset_secs(None, t))
    };
    at.filter(|t| *t > now && *t <= now + MAX_DAYS * DAY)
        .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "deadline"))
}

/// A feature as stored, with its committed sum and backers.
#[derive(Debug, Clone, Deserialize)]
pub struct FeatureRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub goal_cents: i64,
    pub currency: String,
    pub deadline: i64,
    pub status: FeatureStatus,
    pub created_at: i64,
    pub pledged_cents: i64,
    pub backers: i64,
}

/// A feature as everyone sees it: the status as the clock has it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeatureView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub goal_cents: i64,
    pub pledged_cents: i64,
    pub backers: i64,
    pub currency: String,
    pub deadline: String,
    pub status: FeatureStatus,
    pub created_at: String,
    /// Of the goal, floored, for progress bars (may exceed 100).
    pub percent: i64,
    pub url: String,
}

impl FeatureRow {
    /// As a budget vote sees it now: its goal is its cost.
    pub fn budget_feature(&self, now: i64) -> crate::vote::proposal::BudgetFeature {
        crate::vote::proposal::BudgetFeature {
            id: self.id.clone(),
            title: self.title.clone(),
            goal_cents: self.goal_cents,
            status: self.status(now),
        }
    }

    pub fn status(&self, now: i64) -> FeatureStatus {
        self.status.at(self.deadline, now)
    }

    pub fn view(&self, now: i64) -> FeatureView {
        FeatureView {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            goal_cents: self.goal_cents,
            pledged_cents: self.pledged_cents,
            backers: self.backers,
            currency: self.currency.clone(),
            deadline: crate::time::rfc3339(self.deadline),
            status: self.status(now),
            created_at: crate::time::rfc3339(self.created_at),
            percent: self.pledged_cents * 100 / self.goal_cents.max(1),
            url: format!("/financer/{}/", self.id),
        }
    }

    /// The ledger's reference for money about this feature.
    pub fn reference(&self) -> String {
        format!("feature:{}", self.id)
    }
}

/// `PATCH /api/features/{id}` (instance admins): move the feature along its pipeline, or change
/// the deadline of a feature still funding.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SteerInput {
    pub status: Option<String>,
    pub deadline: Option<String>,
}

/// What an admin asked, checked against where the feature is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steer {
    pub status: FeatureStatus,
    pub deadline: Option<i64>,
}

impl SteerInput {
    pub fn check(self, current: FeatureStatus, now: i64) -> Result<Steer, ApiError> {
        let status = match self.status.as_deref() {
            None => current,
            Some(asked) => {
                let event = match asked {
                    "funding" => FeatureEvent::Open,
                    "declined" => FeatureEvent::Decline,
                    "in_progress" => FeatureEvent::Start,
                    "delivered" => FeatureEvent::Deliver,
                    _ => return Err(ApiError::on_field(ErrorCode::InvalidField, "status")),
                };
                current
                    .next(event)
                    .map_err(|_| ApiError::on_field(ErrorCode::Conflict, "status"))?
            }
        };
        let deadline = match self.deadline {
            None => None,
            Some(_) if !status.accepts_pledges() => {
                return Err(ApiError::on_field(ErrorCode::Conflict, "deadline"));
            }
            Some(text) => Some(deadline(&text, now)?),
        };
        if deadline.is_none() && status == current {
            return Err(ApiError::new(ErrorCode::BadRequest));
        }
        Ok(Steer { status, deadline })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_305_600; // 2026-11-22T00:00:00Z

    fn input(goal: i64, deadline: &str) -> FeatureInput {
        FeatureInput {
            title: "  Export iCal des agendas ".into(),
            description: "Pour s’abonner.".into(),
            goal_cents: goal,
            deadline: deadline.into(),
            currency: None,
        }
    }

    fn field(result: Result<FeatureRequest, ApiError>) -> Option<String> {
        result.err().and_then(|e| e.field)
    }

    #[test]
    fn a_proposal_has_a_title_a_goal_and_a_deadline_within_a_year() {
        let ok = input(260_000, "2027-01-31").check(NOW).unwrap();
        assert_eq!(ok.title, "Export iCal des agendas");
        assert_eq!(ok.currency, "EUR");
        // 2027-01-31T23:59:59 Paris (UTC+1) is 22:59:59 UTC.
        assert_eq!(crate::time::rfc3339(ok.deadline), "2027-01-31T22:59:59Z");
        assert_eq!(
            field(input(9_999, "2027-01-31").check(NOW)),
            Some("goal_cents".into())
        );
        assert_eq!(
            field(input(260_000, "2026-11-21").check(NOW)),
            Some("deadline".into())
        );
        assert_eq!(
            field(input(260_000, "2028-01-31").check(NOW)),
            Some("deadline".into())
        );
        assert_eq!(
            field(input(260_000, "demain").check(NOW)),
            Some("deadline".into())
        );
        let exact = input(260_000, "2026-11-22T00:05:00Z").check(NOW).unwrap();
        assert_eq!(exact.deadline, NOW + 300);
        let mut short = input(260_000, "2027-01-31");
        short.title = "ab".into();
        assert_eq!(field(short.check(NOW)), Some("title".into()));
    }

    #[test]
    fn the_view_reads_the_clock_and_counts_progress() {
        let row = FeatureRow {
            id: "f_1".into(),
            title: "t".into(),
            description: String::new(),
            goal_cents: 260_000,
            currency: "EUR".into(),
            deadline: NOW + 10,
            status: crate::funding::FeatureStatus::Funding,
            created_at: NOW - 100,
            pledged_cents: 130_000,
            backers: 2,
        };
        let view = row.view(NOW);
        assert_eq!((view.status, view.percent), (FeatureStatus::Funding, 50));
        assert_eq!(view.url, "/financer/f_1/");
        assert_eq!(row.view(NOW + 10).status, FeatureStatus::Expired);
    }

    #[test]
    fn admins_steer_only_along_the_pipeline() {
        let steer = |status: Option<&str>, deadline: Option<&str>, current| {
            SteerInput {
                status: status.map(str::to_string),
                deadline: deadline.map(str::to_string),
            }
            .check(current, NOW)
        };
        use FeatureStatus as S;
        assert_eq!(
            steer(Some("in_progress"), None, S::Funded).unwrap().status,
            S::InProgress
        );
        assert_eq!(
            steer(Some("declined"), None, S::Funding).unwrap().status,
            S::Declined
        );
        assert_eq!(
            steer(Some("delivered"), None, S::Funded)
                .unwrap_err()
                .status(),
            409
        );
        assert_eq!(
            steer(Some("funded"), None, S::Funding)
                .unwrap_err()
                .status(),
            400
        );
        assert_eq!(
            steer(Some("declined"), None, S::Funded)
                .unwrap_err()
                .status(),
            409
        );
        let longer = steer(None, Some("2027-02-01"), S::Funding).unwrap();
        assert!(longer.deadline.is_some() && longer.status == S::Funding);
        assert_eq!(
            steer(None, Some("2027-02-01"), S::Funded)
                .unwrap_err()
                .status(),
            409
        );
        assert_eq!(steer(None, None, S::Funding).unwrap_err().status(), 400);
    }
}
