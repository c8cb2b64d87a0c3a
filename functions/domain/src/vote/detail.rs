//! A proposal whole, as `GET /api/proposals/{id}` answers it and its page shows it: the view,
//! its text's versions, its amendments, the actions that carry out its decision, and its results
//! when they may be seen. One typed value for both, so that the page reads fields, not keys.

use super::resolution::Results;
use super::view::ProposalView;
use serde::{Deserialize, Serialize};

/// Where an amendment stands: open to its vote until the proposal's amendments close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentStatus {
    Open,
    Adopted,
    Refused,
}

impl AmendmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AmendmentStatus::Open => "open",
            AmendmentStatus::Adopted => "adopted",
            AmendmentStatus::Refused => "refused",
        }
    }

    /// In the page's words.
    pub fn label(self) -> &'static str {
        match self {
            AmendmentStatus::Open => "ouvert au vote",
            AmendmentStatus::Adopted => "adopté",
            AmendmentStatus::Refused => "rejeté",
        }
    }
}

/// Where an action that carries out a decision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Todo,
    InProgress,
    Done,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 3] = [
        ActionStatus::Todo,
        ActionStatus::InProgress,
        ActionStatus::Done,
    ];

    pub fn parse(text: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Todo => "todo",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
        }
    }

    /// In the page's words.
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Todo => "à faire",
            ActionStatus::InProgress => "en cours",
            ActionStatus::Done => "fait",
        }
    }
}

/// One version of the text: the first, then one per amendment adopted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionView {
    pub version: i64,
    pub body: String,
    pub amendment_id: Option<String>,
    pub at: String,
}

/// An amendment with its votes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AmendmentView {
    pub id: String,
    pub body: String,
    pub reason: String,
    pub status: AmendmentStatus,
    #[serde(rename = "for")]
    pub in_favour: i64,
    pub against: i64,
    pub blank: i64,
    pub created_at: String,
}

/// An action as shown: how many carry it, not who (people choose what they make public).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionView {
    pub id: String,
    pub title: String,
    pub status: ActionStatus,
    pub updated_at: String,
    pub contributors: usize,
}

/// The proposal whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub view: ProposalView,
    pub versions: Vec<VersionView>,
    pub amendments: Vec<AmendmentView>,
    pub actions: Vec<ActionView>,
    /// None (`null`) while a secret vote runs.
    pub results: Option<Results>,
    /// For a signed-in reader of the API: whether they voted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub you_took_part: Option<bool>,
}
