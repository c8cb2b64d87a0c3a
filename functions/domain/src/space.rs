//! « Mon espace »: what a signed-in person has to do with — the elements they follow, belong to,
//! look after or asked to join, and the votes open to them now, each saying whether they may
//! vote before they try.

use crate::vote::phase::Phase;
use crate::vote::proposal::Voter;
use crate::vote::view::ProposalRow;
use crate::zone::NamedCode;
use serde::{Deserialize, Serialize};

/// A person's link to an element, as `store::elements::LINKS_OF_PERSON` reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct LinkRow {
    pub id: String,
    pub slug: String,
    pub kind: String,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: String,
    pub commune_code: String,
    pub commune_name: Option<String>,
    #[serde(deserialize_with = "crate::row::flag")]
    pub follows: bool,
    #[serde(deserialize_with = "crate::row::flag")]
    pub member: bool,
    #[serde(deserialize_with = "crate::row::flag")]
    pub admin: bool,
    #[serde(deserialize_with = "crate::row::flag")]
    pub pending: bool,
}

/// `GET /api/me/links`: one element and how the person is linked to it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MyLink {
    pub id: String,
    pub slug: String,
    pub kind: String,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: String,
    pub page: String,
    pub commune: NamedCode,
    pub follows: bool,
    pub member: bool,
    pub admin: bool,
    /// A request to join waiting for an admin.
    pub pending: bool,
}

impl From<LinkRow> for MyLink {
    fn from(row: LinkRow) -> MyLink {
        MyLink {
            page: format!("/e/{}/", row.slug),
            commune: NamedCode {
                name: row.commune_name.unwrap_or_else(|| row.commune_code.clone()),
                code: row.commune_code,
            },
            id: row.id,
            slug: row.slug,
            kind: row.kind,
            type_: row.type_,
            name: row.name,
            follows: row.follows,
            member: row.member,
            admin: row.admin,
            pending: row.pending,
        }
    }
}

/// `GET /api/me/proposals`: a proposal open in a community of the person's, and what they may
/// do there now.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpenProposal {
    pub id: String,
    pub community: String,
    pub title: String,
    pub url: String,
    pub phase: Phase,
    pub vote_until: String,
    /// They may vote (in its voting phase) and amend (while amendments are taken).
    pub may_vote: bool,
}

/// The open proposals of the person's communities (each row is the instance's, or an
/// element's they are a member of: `store::cooperation::OPEN_FOR_PERSON`), with whether the
/// rules of each let them vote.
pub fn open_proposals(rows: &[ProposalRow], now: i64, voter: Voter) -> Vec<OpenProposal> {
    let voter = Voter {
        member: true,
        ..voter
    };
    rows.iter()
        .map(|row| {
            let view = row.view(now);
            OpenProposal {
                may_vote: view.eligibility.admits(voter).is_ok(),
                id: view.id,
                community: view.community,
                title: view.title,
                url: view.url,
                phase: view.phase,
                vote_until: view.vote_until,
            }
        })
        .filter(|p| p.phase != Phase::Closed)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal(id: &str, community: &str, eligibility: &str) -> ProposalRow {
        serde_json::from_value(serde_json::json!({
            "id": id, "community": community, "title": "Titre", "body": "", "tags": "[]",
            "method": "motion", "options": "[]", "budget_cents": null, "majority": 50, "quorum": 0,
            "eligibility": eligibility, "secret": 0, "changeable": 0, "amend_until": null,
            "vote_from": 0, "vote_until": 2_000, "author_id": null, "about_post": null,
            "created_at": 0, "closed_at": null, "resolution": null
        }))
        .unwrap()
    }

    #[test]
    fn each_open_vote_says_whether_the_person_may_vote() {
        let rows = [
            proposal("pr_1", "instance", "donors"),
            proposal("pr_2", "e_1", "members"),
            proposal("pr_3", "instance", "verified"),
        ];
        let someone = Voter {
            signed_in: true,
            ..Voter::default()
        };
        let open = open_proposals(&rows, 1_000, someone);
        let may: Vec<(&str, bool)> = open.iter().map(|p| (p.id.as_str(), p.may_vote)).collect();
        assert_eq!(may, [("pr_1", false), ("pr_2", true), ("pr_3", true)]);
        assert_eq!(open[0].phase, Phase::Voting);
        let donor = Voter {
            donor: true,
            ..someone
        };
        assert!(open_proposals(&rows, 1_000, donor)[0].may_vote);
        assert!(
            open_proposals(&rows, 2_001, donor).is_empty(),
            "past its vote"
        );
    }

    #[test]
    fn a_link_reads_as_booleans_and_a_page() {
        let row: LinkRow = serde_json::from_value(serde_json::json!({
            "id": "e_1", "slug": "vrac", "kind": "organization", "type": "NGO", "name": "Vrac",
            "commune_code": "69266", "commune_name": "Villeurbanne",
            "follows": 1, "member": 0, "admin": 0, "pending": 1
        }))
        .unwrap();
        let link = MyLink::from(row);
        assert_eq!(link.page, "/e/vrac/");
        assert_eq!(link.commune.name, "Villeurbanne");
        assert!(link.follows && link.pending && !link.member && !link.admin);
    }
}
