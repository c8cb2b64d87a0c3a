//! Funding pages: donate, the test checkout (development), features to co-fund and one
//! feature (rendered by the edge: their sums move), and the finances ("Transparence").

use crate::labels;
use crate::pages::Layout;
use askama::Template;
use domain::donation::{Summary, euros};
use domain::feature::FeatureView;
use domain::funding::FeatureStatus;

pub fn status_label(status: FeatureStatus) -> &'static str {
    match status {
        FeatureStatus::Proposed => "Proposée",
        FeatureStatus::Funding => "En financement",
        FeatureStatus::Funded => "Financée",
        FeatureStatus::InProgress => "En développement",
        FeatureStatus::Delivered => "Livrée",
        FeatureStatus::Expired => "Expirée",
        FeatureStatus::Declined => "Refusée",
    }
}

fn entry_label(kind: &str) -> &'static str {
    match kind {
        "gift" => "Don",
        "charge" => "Engagement prélevé",
        "refund" => "Remboursement",
        "release" => "Engagement libéré (non prélevé)",
        "expense" => "Dépense",
        "allocation" => "Attribution",
        _ => "Autre",
    }
}

/// A day as written: "31 janvier 2027".
fn day(rfc3339: &str) -> String {
    let long = labels::date(&domain::localtime::local_rfc3339(None, rfc3339));
    // "dimanche 31 janvier 2027 à 23 h 59" → "31 janvier 2027"
    let words: Vec<&str> = long.split(' ').collect();
    words.get(1..4).map(|w| w.join(" ")).unwrap_or(long)
}

/// A feature as its card and page show it.
pub struct FeatureCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub pledged: String,
    pub goal: String,
    pub percent: i64,
    /// The bar's width, at most full.
    pub bar: i64,
    pub backers: String,
    pub deadline: String,
    pub open: bool,
}

impl FeatureCard {
    pub fn new(v: &FeatureView) -> FeatureCard {
        FeatureCard {
            id: v.id.clone(),
            title: v.title.clone(),
            url: v.url.clone(),
            status: v.status.as_str(),
            status_label: status_label(v.status),
            pledged: euros(v.pledged_cents),
            goal: euros(v.goal_cents),
            percent: v.percent,
            bar: v.percent.clamp(0, 100),
            backers: match v.backers {
                0 => "Aucun contributeur pour l’instant".into(),
                1 => "1 contributeur·ice".into(),
                n => format!("{} contributeur·ices", labels::number(n)),
            },
            deadline: day(&v.deadline),
            open: v.status.accepts_pledges(),
        }
    }
}

/// `/financer/`, optionally filtered by status.
#[derive(Template)]
#[template(path = "features.html")]
pub struct FeaturesPage {
    pub layout: Layout,
    pub cards: Vec<FeatureCard>,
    /// (status code or "" for all, label, current)
    pub filters: Vec<(&'static str, &'static str, bool)>,
    pub min_goal: i64,
    pub max_goal: i64,
}

impl FeaturesPage {
    pub fn new(views: &[FeatureView], filter: Option<FeatureStatus>) -> FeaturesPage {
        let mut filters = vec![("", "Toutes", filter.is_none())];
        filters.extend(
            FeatureStatus::ALL
                .iter()
                .map(|s| (s.as_str(), status_label(*s), filter == Some(*s))),
        );
        FeaturesPage {
            layout: Layout::at("/financer/"),
            cards: views.iter().map(FeatureCard::new).collect(),
            filters,
            min_goal: domain::feature::MIN_GOAL_CENTS / 100,
            max_goal: domain::feature::MAX_GOAL_CENTS / 100,
        }
    }
}

/// The most a pledge box offers, in euros: what is still missing (a euro at least), never more
/// than a single payment may be.
fn max_pledge(v: &FeatureView) -> i64 {
    let missing = (v.goal_cents - v.pledged_cents).max(100);
    (missing.min(domain::donation::MAX_CENTS) + 99) / 100
}

/// `/financer/<id>/`.
#[derive(Template)]
#[template(path = "feature.html")]
pub struct FeaturePage {
    pub layout: Layout,
    pub card: FeatureCard,
    pub paragraphs: Vec<String>,
    /// (status label, day)
    pub history: Vec<(&'static str, String)>,
    pub max_pledge: i64,
}

impl FeaturePage {
    /// `history`: (status, RFC 3339) in the order reached.
    pub fn new(v: &FeatureView, history: &[(FeatureStatus, String)]) -> FeaturePage {
        FeaturePage {
            layout: Layout::at("/financer/"),
            card: FeatureCard::new(v),
            paragraphs: v
                .description
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            history: history
                .iter()
                .map(|(s, at)| (status_label(*s), day(at)))
                .collect(),
            max_pledge: max_pledge(v),
        }
    }
}

/// One line of the ledger as the finances page shows it.
pub struct EntryLine {
    pub seq: i64,
    pub day: String,
    pub kind: &'static str,
    pub amount: String,
    /// What it is about, in words, and where to read more.
    pub object: String,
    pub object_href: Option<String>,
    pub hash: String,
}

/// How many entries a page of `/transparence/` shows.
pub const LINES_PER_PAGE: i64 = 20;

/// `/transparence/`: the counters, a page of entries (newest first) and the head of the chain.
#[derive(Template)]
#[template(path = "transparency.html")]
pub struct TransparencyPage {
    pub layout: Layout,
    pub donors: String,
    /// « donateur·ice » or « donateur·ices ».
    pub donors_word: &'static str,
    pub monthly: String,
    pub total: String,
    pub entries: Vec<EntryLine>,
    /// Entries in the chain.
    pub count: i64,
    pub head: String,
    /// The page of older entries, and back to the newest.
    pub older_href: Option<String>,
    pub newest_href: Option<String>,
}

impl TransparencyPage {
    /// `lines`: a page, newest first (one more than shown tells an older page exists); `head`:
    /// the chain's last entry; `before`: the page asked (`?avant=`).
    pub fn new(
        summary: &Summary,
        lines: &[domain::ledger::Line],
        head: Option<&domain::ledger::Entry>,
        before: Option<i64>,
    ) -> TransparencyPage {
        let shown = &lines[..lines.len().min(LINES_PER_PAGE as usize)];
        TransparencyPage {
            layout: Layout::at("/transparence/"),
            donors: labels::number(summary.donors),
            donors_word: labels::donors(summary.donors),
            monthly: euros(summary.monthly_cents),
            total: euros(summary.total_cents),
            entries: shown
                .iter()
                .map(|e| {
                    let (object, object_href) = e.object();
                    EntryLine {
                        seq: e.seq,
                        day: day(&e.at),
                        kind: entry_label(&e.kind),
                        amount: euros(e.amount_cents),
                        object,
                        object_href,
                        hash: e.hash.chars().take(12).collect(),
                    }
                })
                .collect(),
            count: head.map_or(0, |e| e.seq),
            head: head.map_or(domain::ledger::GENESIS.to_string(), |e| e.hash.clone()),
            older_href: (lines.len() > shown.len())
                .then(|| {
                    shown
                        .last()
                        .map(|e| format!("/transparence/?avant={}", e.seq))
                })
                .flatten(),
            newest_href: before.map(|_| "/transparence/".to_string()),
        }
    }
}

/// `/don/`: give once or monthly.
#[derive(Template)]
#[template(path = "donate.html")]
pub struct DonatePage {
    pub layout: Layout,
    /// Suggested amounts, in euros.
    pub presets: Vec<i64>,
    pub min: i64,
    pub max: i64,
}

impl Default for DonatePage {
    fn default() -> DonatePage {
        DonatePage {
            layout: Layout::at("/don/"),
            presets: vec![2, 5, 10, 20, 50],
            min: domain::donation::MIN_CENTS / 100,
            max: domain::donation::MAX_CENTS / 100,
        }
    }
}

/// `/don/paiement-test/`: the development stand-in for the provider's hosted pages.
#[derive(Template)]
#[template(path = "test_checkout.html")]
pub struct TestCheckoutPage {
    pub layout: Layout,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(status: FeatureStatus, pledged: i64) -> FeatureView {
        FeatureView {
            id: "f_1".into(),
            title: "Export <iCal>".into(),
            description: "Premier.\n\nSecond.".into(),
            goal_cents: 260_000,
            pledged_cents: pledged,
            backers: 2,
            currency: "EUR".into(),
            deadline: "2027-01-31T22:59:59Z".into(),
            status,
            created_at: "2026-11-22T00:00:00Z".into(),
            percent: pledged * 100 / 260_000,
            url: "/financer/f_1/".into(),
        }
    }

    #[test]
    fn the_pledge_box_offers_what_is_missing() {
        assert_eq!(max_pledge(&view(FeatureStatus::Funding, 255_000)), 50);
        assert_eq!(
            max_pledge(&view(FeatureStatus::Funding, 254_950)),
            51,
            "rounded up"
        );
        assert_eq!(max_pledge(&view(FeatureStatus::Funding, 0)), 2_600);
        assert_eq!(max_pledge(&view(FeatureStatus::Funded, 300_000)), 1);
        let page = FeaturePage::new(&view(FeatureStatus::Funding, 255_000), &[]);
        assert!(page.render().unwrap().contains("max=\"50\""));
    }

    #[test]
    fn a_feature_page_shows_progress_deadline_and_history_escaped() {
        let history = [
            (FeatureStatus::Funding, "2026-11-22T10:00:00Z".to_string()),
            (FeatureStatus::Funded, "2026-12-01T10:00:00Z".to_string()),
        ];
        let page = FeaturePage::new(&view(FeatureStatus::Funded, 390_000), &history);
        assert_eq!((page.card.percent, page.card.bar), (150, 100));
        assert_eq!(page.card.deadline, "31 janvier 2027");
        let html = page.render().unwrap();
        assert!(html.contains("Export &#60;iCal&#62;") || html.contains("Export &lt;iCal&gt;"));
        assert!(html.contains("<p>Second.</p>"));
        assert!(html.contains("Financée"));
        assert!(
            !html.contains("id=\"pledge-form\""),
            "no pledge form once funded"
        );
        let open = FeaturePage::new(&view(FeatureStatus::Funding, 0), &history[..1]);
        assert!(open.render().unwrap().contains("id=\"pledge-form\""));
    }

    #[test]
    fn the_finances_page_shows_the_head_and_the_latest_entries() {
        let summary = Summary {
            donors: 1234,
            monthly_cents: 500,
            total_cents: 260_000,
            currency: "EUR".into(),
        };
        let appended = domain::ledger::Appended {
            seq: 1,
            at: "2026-11-22T10:00:00Z".into(),
            kind: "charge".into(),
            amount_cents: 130_000,
            currency: "EUR".into(),
            reference: "pledge:p_1".into(),
            prev_hash: None,
            hash: None,
        };
        let entry = domain::ledger::seal(&[appended]).remove(0);
        let line = |seq: i64| domain::ledger::Line {
            seq,
            at: entry.at.clone(),
            kind: entry.kind.clone(),
            amount_cents: entry.amount_cents,
            currency: "EUR".into(),
            reference: "pledge:p_1".into(),
            hash: entry.hash.clone(),
            feature_id: Some("f_1".into()),
            feature_title: Some("Carte hors ligne".into()),
        };
        let lines: Vec<_> = (1..=21).rev().map(line).collect();
        let page = TransparencyPage::new(&summary, &lines, Some(&entry), None);
        let html = page.render().unwrap();
        assert!(html.contains(&entry.hash), "the head hash in full");
        assert!(html.contains("Engagement prélevé") && html.contains("1\u{202f}300,00"));
        assert!(html.contains("1\u{202f}234</strong> donateur·ices<"));
        assert!(html.contains(r#"<a href="/financer/f_1/">« Carte hors ligne »</a>"#));
        assert!(!html.contains("pledge:p_1"), "no internal id as a label");
        assert_eq!(page.entries.len(), 20);
        assert_eq!(page.older_href.as_deref(), Some("/transparence/?avant=2"));
        assert_eq!(page.newest_href, None);
        let last = TransparencyPage::new(&summary, &lines[20..], Some(&entry), Some(2));
        assert_eq!(last.older_href, None);
        assert_eq!(last.newest_href.as_deref(), Some("/transparence/"));
        let one = Summary {
            donors: 1,
            ..summary.clone()
        };
        let empty = TransparencyPage::new(&one, &[], None, None);
        assert!(empty.render().unwrap().contains("1</strong> donateur·ice<"));
        assert_eq!(empty.head, domain::ledger::GENESIS);
    }
}
