//! The cooperative space's pages, rendered by the edge (phases and tallies move): a community's
//! proposals, and one proposal with its amend, vote and receipt forms (plain HTML forms, usable
//! without JavaScript) and its results drawn as SVG bars.

use crate::pages::Layout;
use askama::Template;
use domain::donation::euros;
use domain::vote::method::{GRADES, Method};
use domain::vote::phase::Phase;
use domain::vote::view::ProposalView;

pub fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Amendable => "Amendements ouverts",
        Phase::Voting => "Vote en cours",
        Phase::Closed => "Close",
    }
}

fn day(rfc3339: &str) -> String {
    crate::labels::date(&domain::localtime::local_rfc3339(None, rfc3339))
}

/// A proposal in a list.
pub struct ProposalLine {
    pub title: String,
    pub url: String,
    pub method: &'static str,
    pub phase: &'static str,
    pub until: String,
}

impl ProposalLine {
    pub fn new(v: &ProposalView) -> ProposalLine {
        let until = match (v.phase, &v.amend_until) {
            (Phase::Amendable, Some(at)) => format!("amendements jusqu’au {}", day(at)),
            (Phase::Closed, _) => format!("close le {}", day(&v.vote_until)),
            _ => format!("vote jusqu’au {}", day(&v.vote_until)),
        };
        ProposalLine {
            title: v.title.clone(),
            url: v.url.clone(),
            method: v.method.label(),
            phase: phase_label(v.phase),
            until,
        }
    }
}

/// `/cooperation/<community>/`.
#[derive(Template)]
#[template(path = "cooperation.html")]
pub struct CommunityPage {
    pub layout: Layout,
    pub community: String,
    pub name: String,
    pub open: Vec<ProposalLine>,
    pub closed: Vec<ProposalLine>,
}

impl CommunityPage {
    pub fn new(community: &str, name: &str, views: &[ProposalView]) -> CommunityPage {
        let (closed, open): (Vec<_>, Vec<_>) = views.iter().partition(|v| v.phase == Phase::Closed);
        CommunityPage {
            layout: Layout::at(""),
            community: community.to_string(),
            name: name.to_string(),
            open: open.into_iter().map(ProposalLine::new).collect(),
            closed: closed.into_iter().map(ProposalLine::new).collect(),
        }
    }
}

/// One bar of a results chart: its label, its value as written, and its length out of 100.
pub struct Bar {
    pub label: String,
    pub value: String,
    pub length: u64,
    pub won: bool,
}

/// A merit profile: one stacked bar per option, a segment per grade.
pub struct Profile {
    pub label: String,
    pub majority: String,
    /// (x, width, grade) out of 100.
    pub segments: Vec<(u64, u64, usize)>,
}

fn bars(items: Vec<(String, u64, String, bool)>) -> Vec<Bar> {
    let most = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    items
        .into_iter()
        .map(|(label, n, value, won)| Bar {
            label,
            value,
            length: n * 100 / most,
            won,
        })
        .collect()
}

/// The ballot's inputs for one option.
pub struct Choice {
    pub index: usize,
    pub label: String,
    pub cost: Option<String>,
}

/// `/propositions/<id>/`, with what just happened (a message, an error, a receipt shown once).
#[derive(Template)]
#[template(path = "proposal.html")]
pub struct ProposalPage {
    pub layout: Layout,
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub community_url: String,
    pub method: &'static str,
    pub method_code: &'static str,
    pub rule: &'static str,
    pub phase: &'static str,
    pub amendable: bool,
    pub voting: bool,
    pub secret: bool,
    pub changeable: bool,
    pub schedule: String,
    pub majority: i64,
    pub quorum: i64,
    pub choices: Vec<Choice>,
    pub grades: Vec<(usize, &'static str)>,
    pub budget: Option<String>,
    /// (id, text, reason, status, for, against, blank)
    pub amendments: Vec<(String, String, String, &'static str, i64, i64, i64)>,
    pub versions: usize,
    pub bars: Vec<Bar>,
    pub profiles: Vec<Profile>,
    pub results_hidden: bool,
    pub resolution: Option<String>,
    /// (title, status label, contributors)
    pub actions: Vec<(String, &'static str, i64)>,
    pub message: Option<String>,
    pub error: Option<String>,
    pub receipt: Option<String>,
}

/// What the page shows besides the proposal.
#[derive(Default)]
pub struct Notice {
    pub message: Option<String>,
    pub error: Option<String>,
    pub receipt: Option<String>,
}

impl ProposalPage {
    /// `detail` is the API's answer for the proposal (view, versions, amendments, results,
    /// actions).
    pub fn new(v: &ProposalView, detail: &serde_json::Value, notice: Notice) -> ProposalPage {
        let community_url = format!("/cooperation/{}/", v.community);
        let choices: Vec<Choice> = v
            .options
            .iter()
            .enumerate()
            .map(|(index, o)| Choice {
                index,
                label: o.label.clone(),
                cost: o.cost_cents.map(euros),
            })
            .collect();
        let label_of = |i: usize| {
            choices
                .get(i)
                .map_or_else(|| format!("Option {}", i + 1), |c| c.label.clone())
        };
        let results = &detail["results"];
        let (bars, profiles) = chart(v.method, results, &label_of);
        let text = |key: &str| detail[key].as_array().cloned().unwrap_or_default();
        let amendments = text("amendments")
            .iter()
            .map(|a| {
                let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
                let n = |k: &str| a[k].as_i64().unwrap_or(0);
                let status = match a["status"].as_str() {
                    Some("adopted") => "adopté",
                    Some("refused") => "rejeté",
                    _ => "ouvert au vote",
                };
                (
                    s("id"),
                    s("body"),
                    s("reason"),
                    status,
                    n("for"),
                    n("against"),
                    n("blank"),
                )
            })
            .collect();
        let actions = text("actions")
            .iter()
            .map(|a| {
                let status = match a["status"].as_str() {
                    Some("done") => "fait",
                    Some("in_progress") => "en cours",
                    _ => "à faire",
                };
                (
                    a["title"].as_str().unwrap_or_default().to_string(),
                    status,
                    a["contributors"].as_i64().unwrap_or(0),
                )
            })
            .collect();
        let resolution = v.resolution.as_ref().map(|r| {
            let outcome = match r["outcome"].as_str() {
                Some("adopted") => "Adoptée",
                Some("refused") => "Rejetée",
                _ => "Sans décision",
            };
            let quorum = if r["quorum_met"].as_bool() == Some(true) {
                "quorum atteint"
            } else {
                "quorum non atteint"
            };
            format!(
                "{outcome} : {} participant·es sur {} inscrit·es, {quorum}.",
                r["participation"].as_u64().unwrap_or(0),
                r["eligible"].as_u64().unwrap_or(0)
            )
        });
        let schedule = match &v.amend_until {
            Some(at) => format!(
                "Amendements jusqu’au {}, vote jusqu’au {}.",
                day(at),
                day(&v.vote_until)
            ),
            None => format!("Vote jusqu’au {}.", day(&v.vote_until)),
        };
        ProposalPage {
            layout: Layout::at(""),
            id: v.id.clone(),
            title: v.title.clone(),
            paragraphs: v
                .body
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            community_url,
            method: v.method.label(),
            method_code: v.method.as_str(),
            rule: v.rule,
            phase: phase_label(v.phase),
            amendable: v.phase == Phase::Amendable,
            voting: v.phase == Phase::Voting,
            secret: v.secret,
            changeable: v.changeable,
            schedule,
            majority: v.majority,
            quorum: v.quorum,
            choices,
            grades: GRADES.iter().copied().enumerate().collect(),
            budget: v.budget_cents.map(euros),
            amendments,
            versions: text("versions").len(),
            results_hidden: results.is_null(),
            bars,
            profiles,
            resolution,
            actions,
            message: notice.message,
            error: notice.error,
            receipt: notice.receipt,
        }
    }
}

/// The bars (motion, choice, budget) or merit profiles (majority judgment) of a tally.
fn chart(
    method: Method,
    results: &serde_json::Value,
    label_of: &dyn Fn(usize) -> String,
) -> (Vec<Bar>, Vec<Profile>) {
    if results.is_null() {
        return (Vec::new(), Vec::new());
    }
    let n = |v: &serde_json::Value| v.as_u64().unwrap_or(0);
    match method {
        Method::Motion => {
            let items = [("Pour", "for"), ("Contre", "against"), ("Blanc", "blank")]
                .iter()
                .map(|(label, key)| {
                    let count = n(&results[*key]);
                    (label.to_string(), count, count.to_string(), false)
                })
                .collect();
            (bars(items), Vec::new())
        }
        Method::SingleChoice => {
            let winner = results["winner"].as_u64();
            let items = results["counts"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        label_of(i),
                        n(c),
                        n(c).to_string(),
                        winner == Some(i as u64),
                    )
                })
                .collect();
            (bars(items), Vec::new())
        }
        Method::Budget => {
            let items = results["lines"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|l| {
                    let i = n(&l["option"]) as usize;
                    let approvals = n(&l["approvals"]);
                    let won = l["allotment"] == "won";
                    (
                        label_of(i),
                        approvals,
                        format!("{approvals} approbations"),
                        won,
                    )
                })
                .collect();
            (bars(items), Vec::new())
        }
        Method::MajorityJudgment => {
            let profiles = results["ranking"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|o| {
                    let counts: Vec<u64> = o["profile"]
                        .as_array()
                        .map(|p| p.iter().map(n).collect())
                        .unwrap_or_default();
                    let total = counts.iter().sum::<u64>().max(1);
                    let mut x = 0;
                    let mut segments = Vec::new();
                    for (grade, count) in counts.iter().enumerate() {
                        let width = count * 100 / total;
                        segments.push((x, width, grade));
                        x += width;
                    }
                    Profile {
                        label: format!("{}. {}", n(&o["rank"]), label_of(n(&o["option"]) as usize)),
                        majority: o["majority_label"].as_str().unwrap_or("—").to_string(),
                        segments,
                    }
                })
                .collect();
            (Vec::new(), profiles)
        }
    }
}
