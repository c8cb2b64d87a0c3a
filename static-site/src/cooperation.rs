//! The cooperative space's pages, rendered by the edge (phases and tallies move): a community's
//! proposals, and one proposal with its amend, vote and receipt forms (plain HTML forms, usable
//! without JavaScript) and its results drawn as SVG bars.

use crate::pages::Layout;
use askama::Template;
use domain::donation::euros;
use domain::vote::budget::Allotment;
use domain::vote::detail::ProposalDetail;
use domain::vote::form::ProposalForm;
use domain::vote::method::GRADES;
use domain::vote::phase::Phase;
use domain::vote::proposal::Eligibility;
use domain::vote::resolution::{Outcome, Tally};
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
            (Phase::Amendable, Some(at)) if v.amendments_open => {
                format!("amendements jusqu’au {}", day(at))
            }
            (Phase::Amendable, _) => format!("vote à partir du {}", day(&v.vote_from)),
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

/// A funded feature waiting to be started, offered to the instance's budget vote.
pub struct FundedFeature {
    pub id: String,
    pub title: String,
    pub cost: String,
    pub chosen: bool,
}

/// `/cooperation/<community>/`: its proposals, and the form to open one (a plain HTML form;
/// the server decides who may).
#[derive(Template)]
#[template(path = "cooperation.html")]
pub struct CommunityPage {
    pub layout: Layout,
    pub community: String,
    pub name: String,
    pub amendable: Vec<ProposalLine>,
    pub voting: Vec<ProposalLine>,
    pub closed: Vec<ProposalLine>,
    pub instance: bool,
    /// Whose time the form's dates are in.
    pub time_zone: &'static str,
    pub features: Vec<FundedFeature>,
    pub form: ProposalForm,
    pub error: Option<String>,
    /// The field at fault, to point at it.
    pub error_field: String,
    /// Whether the reader may open a proposal here (the form is shown only then).
    pub standing: Standing,
}

impl CommunityPage {
    /// What the reader may do: open a proposal, sign in first, or nothing here.
    pub fn for_reader(mut self, standing: Standing) -> CommunityPage {
        self.standing = standing;
        self
    }

    pub fn may_propose(&self) -> bool {
        self.standing == Standing::Allowed
    }

    pub fn must_sign_in(&self) -> bool {
        self.standing == Standing::SignIn
    }

    pub fn new(community: &str, name: &str, views: &[ProposalView]) -> CommunityPage {
        let lines = |phase: Phase| -> Vec<ProposalLine> {
            views
                .iter()
                .filter(|v| v.phase == phase)
                .map(ProposalLine::new)
                .collect()
        };
        let instance = community == "instance";
        CommunityPage {
            layout: Layout::at(if instance {
                "/cooperation/instance/"
            } else {
                ""
            }),
            community: community.to_string(),
            name: name.to_string(),
            amendable: lines(Phase::Amendable),
            voting: lines(Phase::Voting),
            closed: lines(Phase::Closed),
            instance,
            time_zone: "heure de Paris",
            features: Vec::new(),
            form: ProposalForm::blank(instance),
            error: None,
            error_field: String::new(),
            standing: Standing::SignIn,
        }
    }

    /// Dates are read in the community's département's time (La Réunion's, say).
    pub fn in_departement(mut self, departement: Option<&str>) -> CommunityPage {
        self.time_zone = match departement {
            Some("971") | Some("972") => "heure des Antilles",
            Some("973") => "heure de Guyane",
            Some("974") => "heure de La Réunion",
            Some("976") => "heure de Mayotte",
            _ => "heure de Paris",
        };
        self
    }

    /// The instance's funded features, for its budget vote: (id, title, goal in cents).
    pub fn with_features(mut self, features: Vec<(String, String, i64)>) -> CommunityPage {
        self.features = features
            .into_iter()
            .map(|(id, title, goal)| FundedFeature {
                chosen: self.form.feature_ids.contains(&id),
                id,
                title,
                cost: euros(goal),
            })
            .collect();
        self
    }

    /// The form shown again as typed, with the error and the field at fault.
    pub fn with_error(
        mut self,
        form: ProposalForm,
        error: &str,
        field: Option<&str>,
    ) -> CommunityPage {
        self.form = form;
        self.error = Some(error.to_string());
        self.error_field = field.unwrap_or_default().to_string();
        self
    }

    /// The proposals by phase: heading, what to say when there are none, the lines.
    pub fn groups(&self) -> [(&'static str, &'static str, &[ProposalLine]); 3] {
        [
            (
                "Ouvertes aux amendements",
                "Aucune proposition en phase d’amendement.",
                &self.amendable,
            ),
            ("Au vote", "Aucun vote en cours.", &self.voting),
            ("Closes", "Aucune proposition close.", &self.closed),
        ]
    }

    pub fn method_is(&self, method: &str) -> bool {
        self.form.method == method
    }

    pub fn eligibility_is(&self, eligibility: &str) -> bool {
        self.form.eligibility == eligibility
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
    /// The earlier texts, latest first: (version, text).
    pub earlier: Vec<(i64, String)>,
    pub bars: Vec<Bar>,
    pub profiles: Vec<Profile>,
    pub results_hidden: bool,
    pub resolution: Option<String>,
    /// (title, status label, contributors)
    pub actions: Vec<(String, &'static str, i64)>,
    pub message: Option<String>,
    pub error: Option<String>,
    pub receipt: Option<String>,
    /// Who votes here, in words.
    pub electorate: &'static str,
    /// The reader may vote and amend; else where to sign in, or why not.
    pub may_vote: bool,
    pub sign_in_href: Option<String>,
    pub refusal: Option<&'static str>,
    /// The ballot just refused, as filled (name, value): given back, not lost.
    pub kept: Vec<(String, String)>,
}

/// Whether the reader may vote on a proposal, as the server decides at ballot time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Allowed,
    SignIn,
    Refused,
}

/// Who votes, for an electorate.
pub fn electorate(eligibility: Eligibility, instance: bool) -> &'static str {
    match (eligibility, instance) {
        (Eligibility::Donors, _) => {
            "Votent les donateur·ices (un don dans l’année ou un don mensuel en cours) et les administrateur·ices de l’instance."
        }
        (Eligibility::Members, true) | (Eligibility::Verified, _) => {
            "Vote toute personne inscrite, une fois."
        }
        (Eligibility::Members, false) => {
            "Votent les membres de l’organisation ou du projet (et ses administrateur·ices)."
        }
    }
}

/// Why the reader may not vote, and what would let them.
fn refusal(eligibility: Eligibility) -> &'static str {
    match eligibility {
        Eligibility::Donors => {
            "Vous ne pouvez pas voter : ce vote est réservé aux donateur·ices. Un don, même d’un euro, ouvre le droit de vote pour un an."
        }
        _ => {
            "Vous ne pouvez pas voter : ce vote est réservé aux membres. Demandez à rejoindre l’organisation ou le projet depuis sa page."
        }
    }
}

impl ProposalPage {
    /// What the reader may do here; `kept`: the ballot they filled, when it was refused.
    pub fn for_reader(
        mut self,
        standing: Standing,
        eligibility: Eligibility,
        kept: Vec<(String, String)>,
    ) -> ProposalPage {
        self.may_vote = standing == Standing::Allowed;
        self.sign_in_href = (standing == Standing::SignIn)
            .then(|| format!("/connexion/?retour=/propositions/{}/", self.id));
        self.refusal = (standing == Standing::Refused).then(|| refusal(eligibility));
        self.kept = kept;
        self
    }

    /// Whether the refused ballot had this value for this field.
    pub fn was(&self, name: &str, value: &str) -> bool {
        self.kept.iter().any(|(n, v)| n == name && v == value)
    }

    /// Same, for an option's index.
    pub fn had(&self, name: &str, index: &usize) -> bool {
        self.was(name, &index.to_string())
    }

    /// Whether the refused ballot gave this option this grade.
    pub fn graded(&self, option: &usize, grade: &usize) -> bool {
        self.was(&format!("grade_{option}"), &grade.to_string())
    }
}

/// What the page shows besides the proposal.
#[derive(Default)]
pub struct Notice {
    pub message: Option<String>,
    pub error: Option<String>,
    pub receipt: Option<String>,
}

impl ProposalPage {
    /// `detail` is what the API answers for the proposal (view, versions, amendments, results,
    /// actions).
    pub fn new(detail: &ProposalDetail, notice: Notice) -> ProposalPage {
        let v = &detail.view;
        let community_url = format!("/cooperation/{}/", v.community);
        let choices: Vec<Choice> = v
            .options
            .iter()
            .enumerate()
            .map(|(index, label)| Choice {
                index,
                label: label.clone(),
                cost: v.costs_cents.get(index).copied().map(euros),
            })
            .collect();
        let label_of = |i: usize| {
            choices
                .get(i)
                .map_or_else(|| format!("Option {}", i + 1), |c| c.label.clone())
        };
        let results = detail.results.as_ref();
        let (bars, profiles) = chart(results.map(|r| &r.tallies), &label_of);
        let amendments = detail
            .amendments
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    a.body.clone(),
                    a.reason.clone(),
                    a.status.label(),
                    a.in_favour,
                    a.against,
                    a.blank,
                )
            })
            .collect();
        let actions = detail
            .actions
            .iter()
            .map(|a| (a.title.clone(), a.status.label(), a.contributors as i64))
            .collect();
        let resolution = v.resolution.as_ref().map(|r| {
            let outcome = match r.outcome {
                Outcome::Adopted => "Adoptée",
                Outcome::Refused => "Rejetée",
                Outcome::NoDecision => "Sans décision",
            };
            let quorum = match r.quorum_met {
                true => "quorum atteint",
                false => "quorum non atteint",
            };
            format!(
                "{outcome} : {} participant·es sur {} inscrit·es, {quorum}.",
                r.participation, r.eligible
            )
        });
        let schedule = match &v.amend_until {
            Some(at) => format!(
                "Amendements jusqu’au {}, vote du {} au {}.",
                day(at),
                day(&v.vote_from),
                day(&v.vote_until)
            ),
            None => format!("Vote du {} au {}.", day(&v.vote_from), day(&v.vote_until)),
        };
        ProposalPage {
            electorate: electorate(v.eligibility, v.community == "instance"),
            may_vote: false,
            sign_in_href: None,
            refusal: None,
            kept: Vec::new(),
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
            amendable: v.amendments_open,
            voting: v.phase == Phase::Voting,
            secret: v.secret,
            changeable: v.can_change_vote,
            schedule,
            majority: v.majority_percent,
            quorum: v.quorum,
            choices,
            grades: GRADES.iter().copied().enumerate().collect(),
            budget: v.budget_cents.map(euros),
            amendments,
            versions: detail.versions.len(),
            earlier: detail
                .versions
                .iter()
                .rev()
                .skip(1)
                .map(|v| (v.version, v.body.clone()))
                .collect(),
            results_hidden: results.is_none(),
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
fn chart(tally: Option<&Tally>, label_of: &dyn Fn(usize) -> String) -> (Vec<Bar>, Vec<Profile>) {
    match tally {
        None => (Vec::new(), Vec::new()),
        Some(Tally::Motion(t)) => {
            let items = [
                ("Pour", t.in_favour),
                ("Contre", t.against),
                ("Blanc", t.blank),
            ]
            .into_iter()
            .map(|(label, count)| (label.to_string(), count, count.to_string(), false))
            .collect();
            (bars(items), Vec::new())
        }
        Some(Tally::Choice(t)) => {
            let items = t
                .counts
                .iter()
                .enumerate()
                .map(|(i, &count)| (label_of(i), count, count.to_string(), t.winner == Some(i)))
                .collect();
            (bars(items), Vec::new())
        }
        Some(Tally::Budget(t)) => {
            let items = t
                .lines
                .iter()
                .map(|l| {
                    let won = l.allotment == Allotment::Won;
                    let approvals = format!("{} approbations", l.approvals);
                    (label_of(l.option), l.approvals, approvals, won)
                })
                .collect();
            (bars(items), Vec::new())
        }
        Some(Tally::MajorityJudgment(t)) => {
            let profiles = t
                .ranking
                .iter()
                .map(|o| {
                    let total = o.profile.iter().sum::<u64>().max(1);
                    let mut x = 0;
                    let mut segments = Vec::new();
                    for (grade, count) in o.profile.iter().enumerate() {
                        let width = count * 100 / total;
                        segments.push((x, width, grade));
                        x += width;
                    }
                    Profile {
                        label: format!("{}. {}", o.rank, label_of(o.option)),
                        majority: o.majority_label.clone().unwrap_or_else(|| "—".into()),
                        segments,
                    }
                })
                .collect();
            (Vec::new(), profiles)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::vote::method::Method;
    use domain::vote::view::ProposalRow;

    fn row(id: &str, title: &str, amend_until: Option<i64>, vote_until: i64) -> ProposalRow {
        ProposalRow {
            id: id.into(),
            community: "e_1".into(),
            title: title.into(),
            body: "Texte".into(),
            tags: "[]".into(),
            method: Method::Motion,
            options: "[]".into(),
            budget_cents: None,
            majority: 50,
            quorum: 0,
            eligibility: Eligibility::Members,
            secret: false,
            changeable: false,
            amend_until,
            vote_from: amend_until.unwrap_or(0),
            vote_until,
            author_id: None,
            about_post: None,
            about_comment: None,
            created_at: 0,
            closed_at: None,
            resolution: None,
        }
    }

    #[test]
    fn the_community_page_lists_by_phase_and_keeps_a_refused_form_as_typed() {
        let now = 1_795_305_600;
        let views = [
            row("pr_a", "Amender <ceci>", Some(now + 60), now + 120).view(now),
            row("pr_v", "Voter cela", None, now + 120).view(now),
            row("pr_c", "Déjà close", None, now - 1).view(now),
        ];
        let anonymous = CommunityPage::new("e_1", "Jardin", &views)
            .render()
            .unwrap();
        assert!(
            !anonymous.contains("id=\"propose\""),
            "no form for the anonymous"
        );
        assert!(anonymous.contains("/connexion/?retour=/cooperation/e_1/"));
        let outsider = CommunityPage::new("e_1", "Jardin", &views).for_reader(Standing::Refused);
        let outsider = outsider.render().unwrap();
        assert!(!outsider.contains("id=\"propose\"") && outsider.contains("Demandez à rejoindre"));
        let page = CommunityPage::new("e_1", "Jardin", &views)
            .in_departement(Some("974"))
            .for_reader(Standing::Allowed);
        let groups = page.groups();
        let titles =
            |i: usize| -> Vec<&str> { groups[i].2.iter().map(|l| l.title.as_str()).collect() };
        assert_eq!(
            (titles(0), titles(1), titles(2)),
            (
                vec!["Amender <ceci>"],
                vec!["Voter cela"],
                vec!["Déjà close"]
            )
        );
        let mut typed = ProposalForm::blank(false);
        typed.title = "Ouvrir \"le\" dimanche".into();
        typed.method = "choice".into();
        let refused = page.with_error(typed, "Ce champ n’est pas valide.", Some("vote_until"));
        let html = refused.render().unwrap();
        assert!(html.contains("heure de La Réunion"));
        assert!(html.contains("Amender &#60;ceci&#62;") || html.contains("Amender &lt;ceci&gt;"));
        assert!(
            html.contains("value=\"Ouvrir &#34;le&#34; dimanche\"")
                || html.contains("value=\"Ouvrir &quot;le&quot; dimanche\"")
        );
        assert!(html.contains("<option value=\"choice\" selected>"));
        let until = html.find("id=\"p-until\"").unwrap();
        assert!(
            html[until..until + 200].contains("aria-invalid=\"true\""),
            "the field at fault is marked"
        );
        assert!(
            !html.contains("value=\"budget\""),
            "budget votes are the instance's"
        );
        let instance = CommunityPage::new("instance", "toute l’instance", &[])
            .with_features(vec![("f_1".into(), "Carte".into(), 260_000)])
            .for_reader(Standing::Allowed);
        let html = instance.render().unwrap();
        assert!(html.contains("value=\"budget\"") && html.contains("id=\"f-f_1\""));
        assert!(
            html.contains("aria-current=\"page\""),
            "« Décider » is the current item"
        );
    }
}

#[cfg(test)]
mod reader_tests {
    use super::*;
    use domain::vote::method::Method;
    use domain::vote::view::ProposalRow;

    fn voting(eligibility: &str, community: &str) -> ProposalView {
        let row = ProposalRow {
            id: "pr_v".into(),
            community: community.into(),
            title: "Ouvrir le dimanche".into(),
            body: "Texte".into(),
            tags: "[]".into(),
            method: Method::Motion,
            options: "[]".into(),
            budget_cents: None,
            majority: 50,
            quorum: 0,
            eligibility: Eligibility::parse(eligibility).unwrap(),
            secret: false,
            changeable: false,
            amend_until: None,
            vote_from: 0,
            vote_until: 2_000_000_000,
            author_id: None,
            about_post: None,
            about_comment: None,
            created_at: 0,
            closed_at: None,
            resolution: None,
        };
        row.view(1_795_305_600)
    }

    fn page(view: &ProposalView, standing: Standing, kept: &[(&str, &str)]) -> String {
        let kept = kept
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let detail = ProposalDetail {
            view: view.clone(),
            versions: Vec::new(),
            amendments: Vec::new(),
            actions: Vec::new(),
            results: None,
            you_took_part: None,
        };
        ProposalPage::new(&detail, Notice::default())
            .for_reader(standing, view.eligibility, kept)
            .render()
            .unwrap()
    }

    #[test]
    fn the_page_says_who_votes_and_shows_the_ballot_only_to_them() {
        let donors = voting("donors", "instance");
        let allowed = page(&donors, Standing::Allowed, &[]);
        assert!(
            allowed.contains("Votent les donateur·ices") && allowed.contains("Vous pouvez voter.")
        );
        assert!(allowed.contains("Déposer mon bulletin"));
        let anonymous = page(&donors, Standing::SignIn, &[]);
        assert!(!anonymous.contains("Déposer mon bulletin"));
        assert!(anonymous.contains("href=\"/connexion/?retour=/propositions/pr_v/\""));
        let refused = page(&donors, Standing::Refused, &[]);
        assert!(!refused.contains("Déposer mon bulletin"));
        assert!(
            refused.contains("réservé aux donateur·ices") && refused.contains(">Faire un don</a>")
        );
        let members = page(&voting("members", "e_1"), Standing::Refused, &[]);
        assert!(members.contains("réservé aux membres") && !members.contains(">Faire un don</a>"));
    }

    #[test]
    fn a_refused_ballot_comes_back_as_filled() {
        let html = page(
            &voting("members", "e_1"),
            Standing::Allowed,
            &[("choice", "against")],
        );
        assert!(html.contains("value=\"against\" checked"));
        assert!(!html.contains("value=\"for\" required checked"));
    }
}
