//! The cooperative space: proposals, amendments, ballots (open and secret), resolutions.
//!
//! One person, one counted ballot is the database's rule, not only the code's: a second ballot
//! by the same person fails on the key of `ballot` (open) or `participation` (secret), however
//! many arrive at once.

/// ?1 id, ?2 community, ?3 title, ?4 body, ?5 tags (JSON), ?6 method, ?7 options (JSON),
/// ?8 budget_cents, ?9 majority, ?10 quorum, ?11 eligibility, ?12 secret, ?13 changeable,
/// ?14 amend_until, ?15 vote_until, ?16 author, ?17 about post, ?18 now, ?19 vote_from,
/// ?20 about comment
pub const INSERT_PROPOSAL: &str = "INSERT INTO proposal (id, community, title, body, tags, \
     method, options, budget_cents, majority, quorum, eligibility, secret, changeable, \
     amend_until, vote_until, author_id, about_post, created_at, vote_from, about_comment) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

/// What a proposal is about besides itself: the reported post or comment a moderation motion
/// would hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About<'a> {
    Nothing,
    Post(&'a str),
    Comment(&'a str),
}

/// The text as it stands becomes the next version, once per amendment (or once as first
/// written, with NULL). ?1 proposal, ?2 amendment or NULL, ?3 now
pub const INSERT_VERSION: &str = "INSERT INTO proposal_version (proposal_id, version, body, \
     amendment_id, at) SELECT id, (SELECT coalesce(max(version), 0) + 1 FROM proposal_version \
     WHERE proposal_id = ?1), body, ?2, ?3 FROM proposal WHERE id = ?1 AND NOT EXISTS \
     (SELECT 1 FROM proposal_version WHERE proposal_id = ?1 AND amendment_id IS ?2)";

/// ?1 proposal
pub const VERSIONS: &str = "SELECT version, body, amendment_id, at FROM proposal_version \
     WHERE proposal_id = ?1 ORDER BY version";

/// A proposal query: the columns, then the tail.
macro_rules! proposal_query {
    ($tail:literal) => {
        concat!(
            "SELECT id, community, title, body, tags, method, options, budget_cents, majority, \
             quorum, eligibility, secret, changeable, amend_until, \
             coalesce(vote_from, amend_until, created_at) AS vote_from, vote_until, author_id, \
             about_post, about_comment, created_at, closed_at, resolution FROM proposal ",
            $tail
        )
    };
}

/// ?1 id
pub const PROPOSAL_BY_ID: &str = proposal_query!("WHERE id = ?1");

/// A community's proposals, those still open first, nearest deadline first. ?1 community
pub const PROPOSALS_OF: &str = proposal_query!(
    "WHERE community = ?1 ORDER BY closed_at IS NOT NULL, vote_until, id LIMIT 200"
);

/// The open proposals of the communities a person belongs to (the instance, and the elements
/// they are an approved member of), nearest deadline first. ?1 person id, ?2 now
pub const OPEN_FOR_PERSON: &str = proposal_query!(
    "WHERE closed_at IS NULL AND vote_until > ?2 AND (community = 'instance' OR community IN \
     (SELECT element_id FROM link WHERE person_id = ?1 AND kind = 'member' AND pending = 0)) \
     ORDER BY vote_until, id LIMIT 100"
);

/// Proposals past their vote and not yet closed, for the scheduled run. ?1 now, ?2 limit
pub const DUE_TO_CLOSE: &str =
    proposal_query!("WHERE closed_at IS NULL AND vote_until <= ?1 ORDER BY vote_until LIMIT ?2");

/// Development only: a proposal's times moved, to try it out without waiting.
/// ?1 id, ?2 amend_until, ?3 vote_from, ?4 vote_until
pub const SET_SCHEDULE: &str = "UPDATE proposal SET amend_until = ?2, vote_from = ?3, \
     vote_until = ?4 WHERE id = ?1 AND closed_at IS NULL";

/// Records the resolution once; a row back when this run recorded it (the database port
/// tells no count of changes). ?1 id, ?2 resolution (JSON), ?3 now
pub const CLOSE: &str = "UPDATE proposal SET closed_at = ?3, resolution = ?2 \
     WHERE id = ?1 AND closed_at IS NULL AND vote_until <= ?3 RETURNING id";

/// ?1 id, ?2 proposal, ?3 author, ?4 body, ?5 reason, ?6 now
pub const INSERT_AMENDMENT: &str = "INSERT INTO amendment (id, proposal_id, author_id, body, \
     reason, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6)";

/// A proposal's amendments with their for/against/blank counts. ?1 proposal
pub const AMENDMENTS_OF: &str = "SELECT a.id, a.proposal_id, a.body, a.reason, a.status, \
     a.created_at, a.decided_at, \
     (SELECT count(*) FROM amendment_vote v WHERE v.amendment_id = a.id AND v.choice = 'for') AS in_favour, \
     (SELECT count(*) FROM amendment_vote v WHERE v.amendment_id = a.id AND v.choice = 'against') AS against, \
     (SELECT count(*) FROM amendment_vote v WHERE v.amendment_id = a.id AND v.choice = 'blank') AS blank \
     FROM amendment a WHERE a.proposal_id = ?1 ORDER BY a.created_at, a.id";

/// The proposal an amendment belongs to. ?1 amendment
pub const AMENDMENT_PROPOSAL: &str = "SELECT proposal_id FROM amendment WHERE id = ?1";

/// Fails on a second vote by the same person. ?1 amendment, ?2 person, ?3 choice
pub const VOTE_AMENDMENT: &str =
    "INSERT INTO amendment_vote (amendment_id, person_id, choice) VALUES (?1, ?2, ?3)";

/// Open → adopted or refused, once. ?1 amendment, ?2 status, ?3 now
pub const DECIDE_AMENDMENT: &str = "UPDATE amendment SET status = ?2, decided_at = ?3 \
     WHERE id = ?1 AND status = 'open'";

/// An adopted amendment's text becomes the proposal's (then INSERT_VERSION records it).
/// ?1 proposal, ?2 amendment
pub const FOLD_AMENDMENT: &str = "UPDATE proposal SET body = \
     (SELECT body FROM amendment WHERE id = ?2 AND proposal_id = ?1 AND status = 'adopted') \
     WHERE id = ?1 AND EXISTS (SELECT 1 FROM amendment WHERE id = ?2 AND proposal_id = ?1 \
     AND status = 'adopted')";

/// An open ballot; fails when this person already voted.
/// ?1 proposal, ?2 person, ?3 content, ?4 now, ?5 receipt hash
pub const CAST_BALLOT: &str = "INSERT INTO ballot (proposal_id, person_id, content, cast_at, \
     receipt_hash) VALUES (?1, ?2, ?3, ?4, ?5)";

/// Changes one's open ballot (when the proposal allows it), under a new receipt.
/// ?1 proposal, ?2 person, ?3 content, ?4 now, ?5 receipt hash
pub const REPLACE_BALLOT: &str = "UPDATE ballot SET content = ?3, cast_at = ?4, \
     receipt_hash = ?5 WHERE proposal_id = ?1 AND person_id = ?2";

/// Who took part in a secret vote; fails on a second time. ?1 proposal, ?2 person
pub const CAST_PARTICIPATION: &str =
    "INSERT INTO participation (proposal_id, person_id) VALUES (?1, ?2)";

/// What was chosen, under the receipt's hash. ?1 receipt hash, ?2 proposal, ?3 content
pub const CAST_SECRET: &str =
    "INSERT INTO secret_ballot (receipt_hash, proposal_id, content) VALUES (?1, ?2, ?3)";

/// Replaces a secret ballot by its receipt; a row back when the receipt named one.
/// ?1 receipt hash, ?2 proposal, ?3 content
pub const REPLACE_SECRET: &str = "UPDATE secret_ballot SET content = ?3 \
     WHERE receipt_hash = ?1 AND proposal_id = ?2 RETURNING receipt_hash";

/// Whether a receipt's ballot is counted, open or secret. ?1 receipt hash, ?2 proposal
pub const COUNTED_BY_RECEIPT: &str = "SELECT \
     EXISTS (SELECT 1 FROM secret_ballot WHERE receipt_hash = ?1 AND proposal_id = ?2) \
     OR EXISTS (SELECT 1 FROM ballot WHERE receipt_hash = ?1 AND proposal_id = ?2) AS n";

/// Whether a person took part (open or secret). ?1 proposal, ?2 person
pub const TOOK_PART: &str = "SELECT \
     EXISTS (SELECT 1 FROM ballot WHERE proposal_id = ?1 AND person_id = ?2) \
     OR EXISTS (SELECT 1 FROM participation WHERE proposal_id = ?1 AND person_id = ?2) AS n";

/// Every ballot's content, open and secret, to tally. ?1 proposal
pub const CONTENTS: &str = "SELECT content FROM ballot WHERE proposal_id = ?1 \
     UNION ALL SELECT content FROM secret_ballot WHERE proposal_id = ?1";

/// How many may vote: donors count the instance's admins too (`Eligibility::admits`).
/// ?1 community ('instance' or an element id), ?2 eligibility, ?3 a year ago, ?4 the instance's
/// admins' e-mail addresses (JSON array)
pub const ELIGIBLE: &str = "SELECT CASE \
     WHEN ?2 = 'donors' THEN (SELECT count(*) FROM person WHERE id IN (SELECT person_id FROM donation \
       WHERE person_id IS NOT NULL \
       AND (status = 'active' OR (status = 'confirmed' AND confirmed_at >= ?3))) \
       OR email IN (SELECT value FROM json_each(?4))) \
     WHEN ?2 = 'members' AND ?1 <> 'instance' THEN (SELECT count(*) FROM link \
       WHERE element_id = ?1 AND kind = 'member' AND pending = 0) \
     ELSE (SELECT count(*) FROM person) END AS n";

/// ?1 id, ?2 proposal, ?3 title, ?4 now
pub const INSERT_ACTION: &str = "INSERT INTO resolution_action (id, proposal_id, title, status, \
     created_at, updated_at) VALUES (?1, ?2, ?3, 'todo', ?4, ?4)";

/// ?1 action, ?2 status, ?3 now
pub const SET_ACTION_STATUS: &str =
    "UPDATE resolution_action SET status = ?2, updated_at = ?3 WHERE id = ?1";

/// ?1 action, ?2 person
pub const ADD_CONTRIBUTOR: &str = "INSERT INTO action_contributor (action_id, person_id) \
     VALUES (?1, ?2) ON CONFLICT DO NOTHING";

/// A proposal's actions with their contributors' ids (JSON array). ?1 proposal
pub const ACTIONS_OF: &str = "SELECT a.id, a.title, a.status, a.updated_at, \
     (SELECT json_group_array(person_id) FROM action_contributor c WHERE c.action_id = a.id) \
     AS contributors FROM resolution_action a WHERE a.proposal_id = ?1 ORDER BY a.created_at, a.id";

/// One report per person (a second changes nothing). ?1 post, ?2 person, ?3 now
pub const REPORT_POST: &str =
    "INSERT INTO post_report (post_id, person_id, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

/// ?1 post
pub const REPORTS_OF: &str = "SELECT count(*) AS n FROM post_report WHERE post_id = ?1";

/// The moderation motion about a post, if one was opened. ?1 post
pub const MOTION_ABOUT: &str = "SELECT id FROM proposal WHERE about_post = ?1";

/// ?1 post, ?2 now
pub const HIDE_POST: &str = "UPDATE post SET hidden_at = ?2 WHERE id = ?1 AND hidden_at IS NULL";

/// ?1 action
pub const ACTION_BY_ID: &str =
    "SELECT id, proposal_id, title, status FROM resolution_action WHERE id = ?1";

/// A post, for the motion about it. ?1 post
pub const POST_BY_ID: &str = "SELECT id, text, hidden_at FROM post WHERE id = ?1";

/// A row that counts (`count(*) AS n`, or a sum of such).
pub use crate::db::Count;

/// One version of a proposal's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Version {
    pub version: i64,
    pub body: String,
    pub amendment_id: Option<String>,
    pub at: i64,
}

/// An amendment with its for/against/blank counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct AmendmentRow {
    pub id: String,
    pub proposal_id: String,
    pub body: String,
    pub reason: String,
    pub status: domain::vote::detail::AmendmentStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub in_favour: i64,
    pub against: i64,
    pub blank: i64,
}

/// The proposal an amendment belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Owner {
    pub proposal_id: String,
}

/// A ballot's content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Content {
    pub content: String,
}

/// A row a `RETURNING` gave back: the change was made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Changed {}

/// An open ballot, as cast or replaced.
#[derive(Debug, Clone, Copy)]
pub struct OpenBallot<'a> {
    pub proposal: &'a str,
    pub person: &'a str,
    pub content: &'a str,
    pub receipt_hash: &'a str,
    pub now: i64,
}

/// The proposals', amendments' and ballots' statements, bound and decoded.
pub mod proposals {
    use super::*;
    use crate::db::{Query, Statement, int, opt_text, text};
    use crate::search::Arg;
    use domain::vote::proposal::ProposalRequest;
    use domain::vote::view::ProposalRow;

    /// A stored list's JSON text.
    fn json_text<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
    }

    /// A new proposal, as asked and checked.
    pub fn insert(
        id: &str,
        p: &ProposalRequest,
        author: Option<&str>,
        about: About,
        now: i64,
    ) -> Statement {
        let (about_post, about_comment) = match about {
            About::Nothing => (None, None),
            About::Post(post) => (Some(post), None),
            About::Comment(comment) => (None, Some(comment)),
        };
        let args = vec![
            text(id),
            text(&p.community),
            text(&p.title),
            text(&p.body),
            text(&json_text(&p.tags)),
            text(p.question.method().stored()),
            text(&json_text(&p.options)),
            p.budget_cents.map_or(Arg::Null, int),
            int(i64::from(p.rules.majority_percent)),
            int(i64::from(p.rules.quorum_percent)),
            text(p.eligibility.as_str()),
            int(i64::from(p.secret)),
            int(i64::from(p.changeable)),
            p.schedule.amend_until.map_or(Arg::Null, int),
            int(p.schedule.vote_until),
            opt_text(author),
            opt_text(about_post),
            int(now),
            int(p.schedule.vote_from),
            opt_text(about_comment),
        ];
        Statement::new(INSERT_PROPOSAL, args)
    }

    /// The text as it is now, as a new version (`amendment`: the one adopted into it).
    pub fn insert_version(proposal: &str, amendment: Option<&str>, now: i64) -> Statement {
        let args = vec![text(proposal), opt_text(amendment), int(now)];
        Statement::new(INSERT_VERSION, args)
    }

    pub fn versions(proposal: &str) -> Query<Version> {
        Query::new(VERSIONS, vec![text(proposal)])
    }

    /// Moves a proposal's times (development only: `ProposalSchedule::advanced`).
    pub fn set_schedule(id: &str, schedule: domain::vote::phase::ProposalSchedule) -> Statement {
        let args = vec![
            text(id),
            schedule.amend_until.map_or(Arg::Null, int),
            int(schedule.vote_from),
            int(schedule.vote_until),
        ];
        Statement::new(SET_SCHEDULE, args)
    }

    pub fn by_id(id: &str) -> Query<ProposalRow> {
        Query::new(PROPOSAL_BY_ID, vec![text(id)])
    }

    pub fn of_community(community: &str) -> Query<ProposalRow> {
        Query::new(PROPOSALS_OF, vec![text(community)])
    }

    /// The open proposals of a person's communities.
    pub fn open_for(person: &str, now: i64) -> Query<ProposalRow> {
        Query::new(OPEN_FOR_PERSON, vec![text(person), int(now)])
    }

    pub fn due_to_close(now: i64, limit: i64) -> Query<ProposalRow> {
        Query::new(DUE_TO_CLOSE, vec![int(now), int(limit)])
    }

    /// Records the resolution (JSON); a row back when this run closed it.
    pub fn close(id: &str, resolution: &str, now: i64) -> Query<Changed> {
        Query::new(CLOSE, vec![text(id), text(resolution), int(now)])
    }

    pub fn insert_amendment(
        id: &str,
        proposal: &str,
        author: &str,
        body: &str,
        reason: &str,
        now: i64,
    ) -> Statement {
        let args = vec![
            text(id),
            text(proposal),
            text(author),
            text(body),
            text(reason),
            int(now),
        ];
        Statement::new(INSERT_AMENDMENT, args)
    }

    pub fn amendments(proposal: &str) -> Query<AmendmentRow> {
        Query::new(AMENDMENTS_OF, vec![text(proposal)])
    }

    pub fn amendment_proposal(amendment: &str) -> Query<Owner> {
        Query::new(AMENDMENT_PROPOSAL, vec![text(amendment)])
    }

    /// A vote on an amendment (fails on a second one by the same person).
    pub fn vote_amendment(amendment: &str, person: &str, choice: &str) -> Statement {
        let args = vec![text(amendment), text(person), text(choice)];
        Statement::new(VOTE_AMENDMENT, args)
    }

    /// An open amendment adopted or refused, once.
    pub fn decide_amendment(amendment: &str, adopted: bool, now: i64) -> Statement {
        let status = match adopted {
            true => domain::vote::detail::AmendmentStatus::Adopted,
            false => domain::vote::detail::AmendmentStatus::Refused,
        };
        let args = vec![text(amendment), text(status.as_str()), int(now)];
        Statement::new(DECIDE_AMENDMENT, args)
    }

    /// An adopted amendment becomes the proposal's text.
    pub fn fold_amendment(proposal: &str, amendment: &str) -> Statement {
        Statement::new(FOLD_AMENDMENT, vec![text(proposal), text(amendment)])
    }

    fn ballot_args(b: &OpenBallot<'_>) -> Vec<Arg> {
        vec![
            text(b.proposal),
            text(b.person),
            text(b.content),
            int(b.now),
            text(b.receipt_hash),
        ]
    }

    /// An open ballot (fails on a second one by the same person).
    pub fn cast(ballot: &OpenBallot<'_>) -> Statement {
        Statement::new(CAST_BALLOT, ballot_args(ballot))
    }

    pub fn replace(ballot: &OpenBallot<'_>) -> Statement {
        Statement::new(REPLACE_BALLOT, ballot_args(ballot))
    }

    /// Who took part in a secret vote (fails on a second time).
    pub fn participate(proposal: &str, person: &str) -> Statement {
        Statement::new(CAST_PARTICIPATION, vec![text(proposal), text(person)])
    }

    /// What was chosen in a secret vote, under the receipt's hash.
    pub fn cast_secret(receipt_hash: &str, proposal: &str, content: &str) -> Statement {
        let args = vec![text(receipt_hash), text(proposal), text(content)];
        Statement::new(CAST_SECRET, args)
    }

    /// A secret ballot replaced under its receipt; a row back when the receipt named one.
    pub fn replace_secret(receipt_hash: &str, proposal: &str, content: &str) -> Query<Changed> {
        let args = vec![text(receipt_hash), text(proposal), text(content)];
        Query::new(REPLACE_SECRET, args)
    }

    pub fn counted(proposal: &str, receipt_hash: &str) -> Query<Count> {
        Query::new(COUNTED_BY_RECEIPT, vec![text(receipt_hash), text(proposal)])
    }

    pub fn took_part(proposal: &str, person: &str) -> Query<Count> {
        Query::new(TOOK_PART, vec![text(proposal), text(person)])
    }

    /// Every ballot's content, open and secret.
    pub fn contents(proposal: &str) -> Query<Content> {
        Query::new(CONTENTS, vec![text(proposal)])
    }

    /// How many may vote on `row` (`admins`: the instance's admins' addresses).
    pub fn eligible(row: &ProposalRow, year_ago: i64, admins: &[String]) -> Query<Count> {
        let admins = serde_json::to_string(admins).unwrap_or_else(|_| "[]".into());
        let args = vec![
            text(&row.community),
            text(row.eligibility.as_str()),
            int(year_ago),
            text(&admins),
        ];
        Query::new(ELIGIBLE, args)
    }
}

/// An action as stored, its contributors' ids as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ActionStored {
    pub id: String,
    pub title: String,
    pub status: domain::vote::detail::ActionStatus,
    pub updated_at: i64,
    pub contributors: String,
}

/// An action and the proposal it carries out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ActionRow {
    pub id: String,
    pub proposal_id: String,
}

/// A post, for the motion about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PostRow {
    pub id: String,
    pub text: String,
    pub hidden_at: Option<i64>,
}

/// What follows a vote (its actions and their contributors) and moderation's entry (a post's
/// reports, the motion about it), bound and decoded.
pub mod resolutions {
    use super::*;
    use crate::db::{Query, Statement, int, text};
    use crate::features::Id;
    use domain::vote::detail::ActionStatus;

    pub fn actions(proposal: &str) -> Query<ActionStored> {
        Query::new(ACTIONS_OF, vec![text(proposal)])
    }

    pub fn action(id: &str) -> Query<ActionRow> {
        Query::new(ACTION_BY_ID, vec![text(id)])
    }

    pub fn insert_action(id: &str, proposal: &str, title: &str, now: i64) -> Statement {
        let args = vec![text(id), text(proposal), text(title), int(now)];
        Statement::new(INSERT_ACTION, args)
    }

    pub fn set_action_status(id: &str, status: ActionStatus, now: i64) -> Statement {
        let args = vec![text(id), text(status.as_str()), int(now)];
        Statement::new(SET_ACTION_STATUS, args)
    }

    pub fn add_contributor(action: &str, person: &str) -> Statement {
        Statement::new(ADD_CONTRIBUTOR, vec![text(action), text(person)])
    }

    pub fn post(id: &str) -> Query<PostRow> {
        Query::new(POST_BY_ID, vec![text(id)])
    }

    pub fn hide_post(post: &str, now: i64) -> Statement {
        Statement::new(HIDE_POST, vec![text(post), int(now)])
    }

    /// A person's report of a post (a second one changes nothing).
    pub fn report(post: &str, person: &str, now: i64) -> Statement {
        Statement::new(REPORT_POST, vec![text(post), text(person), int(now)])
    }

    pub fn reports(post: &str) -> Query<Count> {
        Query::new(REPORTS_OF, vec![text(post)])
    }

    /// The moderation motion about a post, if one was opened.
    pub fn motion_about(post: &str) -> Query<Id> {
        Query::new(MOTION_ABOUT, vec![text(post)])
    }
}
