//! What people are told: each notification once (`once`, unique per person), listed and marked
//! read in the app, and mailed at the cadence each person chose for its kind.

use crate::db::{Count, Query, Statement, int, text};
use domain::notification::Kind;

/// One notification, as the bell's list and the digest read it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub text: String,
    pub url: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// What is to be said: to whom is the statement's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub url: &'a str,
    /// What makes it once for a person ('reply:<comment id>').
    pub once: &'a str,
    pub now: i64,
}

/// The columns an `INSERT … SELECT` fills, from a row of `person p`: a kind the person never
/// wants mailed is born mailed.
fn insert_from(notice: &Notice, audience: &str, mut args: Vec<crate::search::Arg>) -> Statement {
    let first = args.len() + 1;
    let [k, t, u, o, n] = [0, 1, 2, 3, 4].map(|i| format!("?{}", first + i));
    args.extend([
        text(notice.kind.as_str()),
        text(notice.text),
        text(notice.url),
        text(notice.once),
        int(notice.now),
    ]);
    Statement::new(
        format!(
            "INSERT INTO notification (person_id, kind, text, url, once, created_at, mailed_at) \
             SELECT p.id, {k}, {t}, {u}, {o}, {n}, \
             CASE WHEN json_extract(p.notify, '$.' || {k}) = 'never' THEN {n} END \
             FROM person p WHERE p.id IN ({audience}) ON CONFLICT DO NOTHING"
        ),
        args,
    )
}

/// To one person.
pub fn to_person(person: &str, notice: &Notice) -> Statement {
    insert_from(notice, "?1", vec![text(person)])
}

/// To those who follow or look after an element, but the one who acted.
pub fn to_followers(element: &str, actor: &str, notice: &Notice) -> Statement {
    insert_from(
        notice,
        "SELECT person_id FROM link WHERE element_id = ?1 AND person_id <> ?2 \
         AND (kind = 'follow' OR (kind = 'member' AND is_admin = 1 AND pending = 0))",
        vec![text(element), text(actor)],
    )
}

/// To those who live in a commune (their profile's home), but the one who acted.
pub fn to_residents(commune_zone: &str, actor: &str, notice: &Notice) -> Statement {
    insert_from(
        notice,
        "SELECT id FROM person WHERE home_scope = ?1 AND id <> ?2",
        vec![text(commune_zone), text(actor)],
    )
}

/// To those who backed a feature (a pledge they went through with, whatever came of it).
pub fn to_backers(feature: &str, notice: &Notice) -> Statement {
    insert_from(
        notice,
        "SELECT person_id FROM pledge WHERE feature_id = ?1 AND person_id IS NOT NULL \
         AND status <> 'pending'",
        vec![text(feature)],
    )
}

/// To a vote's community: an element's approved members; the instance's, those who fund it
/// (donors of the last year: `ELIGIBLE`'s donors), the instance's whole people being too many
/// to tell of each vote.
pub fn to_community(community: &str, year_ago: i64, notice: &Notice) -> Statement {
    insert_from(
        notice,
        "SELECT person_id FROM link WHERE ?1 <> 'instance' AND element_id = ?1 \
         AND kind = 'member' AND pending = 0 \
         UNION SELECT person_id FROM donation WHERE ?1 = 'instance' AND person_id IS NOT NULL \
         AND (status = 'active' OR (status = 'confirmed' AND confirmed_at >= ?2))",
        vec![text(community), int(year_ago)],
    )
}

/// A person's notifications, newest first, before the cursor (an id).
pub fn of_person(person: &str, before: Option<i64>, limit: i64) -> Query<NotificationRow> {
    Query::new(
        "SELECT id, kind, text, url, created_at, read_at FROM notification \
         WHERE person_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
        vec![
            text(person),
            int(before.unwrap_or(i64::MAX)),
            int(limit + 1),
        ],
    )
}

pub fn unread(person: &str) -> Query<Count> {
    Query::new(
        "SELECT count(*) AS n FROM notification WHERE person_id = ?1 AND read_at IS NULL",
        vec![text(person)],
    )
}

/// Marks read every notification up to `up_to` (an id the person was shown).
pub fn read_up_to(person: &str, up_to: i64, now: i64) -> Statement {
    Statement::new(
        "UPDATE notification SET read_at = ?3 WHERE person_id = ?1 AND id <= ?2 \
         AND read_at IS NULL",
        vec![text(person), int(up_to), int(now)],
    )
}

/// Someone with notifications no mail carried yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Recipient {
    pub id: String,
    pub email: String,
    pub notify: String,
    pub home_scope: Option<String>,
    pub digest_at: Option<i64>,
    pub weekly_digest_at: Option<i64>,
    pub unsubscribe_key: Option<String>,
}

/// People with notifications to mail (at most `limit` per run).
pub fn to_mail(limit: i64) -> Query<Recipient> {
    Query::new(
        format!(
            "{RECIPIENT} WHERE p.id IN (SELECT DISTINCT person_id FROM notification \
             WHERE mailed_at IS NULL LIMIT ?1)"
        ),
        vec![int(limit)],
    )
}

const RECIPIENT: &str = "SELECT p.id, p.email, p.notify, p.home_scope, p.digest_at, \
     p.weekly_digest_at, p.unsubscribe_key FROM person p";

/// One person, as a mail's recipient (their unsubscribe key made if they had none).
pub fn recipient(person: &str) -> Query<Recipient> {
    Query::new(format!("{RECIPIENT} WHERE p.id = ?1"), vec![text(person)])
}

/// Gives a person their unsubscribe key, unless they have one.
pub fn key(person: &str, key: &str) -> Statement {
    Statement::new(
        "UPDATE person SET unsubscribe_key = coalesce(unsubscribe_key, ?2) WHERE id = ?1",
        vec![text(person), text(key)],
    )
}

/// A person's notifications no mail carried yet, oldest first.
pub fn unmailed(person: &str) -> Query<NotificationRow> {
    Query::new(
        "SELECT id, kind, text, url, created_at, read_at FROM notification \
         WHERE person_id = ?1 AND mailed_at IS NULL ORDER BY id LIMIT 200",
        vec![text(person)],
    )
}

/// Claims notifications for one mail: only those still unclaimed come back, so that two runs
/// never mail the same one. `ids` is a JSON array.
pub fn claim(person: &str, ids: &str, now: i64) -> Query<crate::db::Count> {
    Query::new(
        "UPDATE notification SET mailed_at = ?3 WHERE person_id = ?1 AND mailed_at IS NULL \
         AND id IN (SELECT value FROM json_each(?2)) RETURNING 1 AS n",
        vec![text(person), text(ids), int(now)],
    )
}

/// Gives back a claim whose mail could not leave (the next run tries again).
pub fn unclaim(person: &str, ids: &str) -> Statement {
    Statement::new(
        "UPDATE notification SET mailed_at = NULL WHERE person_id = ?1 \
         AND id IN (SELECT value FROM json_each(?2))",
        vec![text(person), text(ids)],
    )
}

/// Records when a person's daily or weekly digest left.
pub fn digested(person: &str, daily: bool, weekly: bool, now: i64) -> Statement {
    Statement::new(
        "UPDATE person SET digest_at = CASE WHEN ?2 THEN ?4 ELSE digest_at END, \
         weekly_digest_at = CASE WHEN ?3 THEN ?4 ELSE weekly_digest_at END WHERE id = ?1",
        vec![
            text(person),
            int(daily.into()),
            int(weekly.into()),
            int(now),
        ],
    )
}

/// A person's mail cadences (JSON, only what they changed).
pub fn set_preferences(person: &str, notify: &str) -> Statement {
    Statement::new(
        "UPDATE person SET notify = ?2 WHERE id = ?1",
        vec![text(person), text(notify)],
    )
}

pub fn preferences(person: &str) -> Query<Preferences> {
    Query::new(
        "SELECT notify FROM person WHERE id = ?1",
        vec![text(person)],
    )
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Preferences {
    pub notify: String,
}

/// Proposals whose vote opened and was not yet announced. ?1 now
pub fn to_announce(now: i64) -> Query<Announce> {
    Query::new(
        "SELECT id, community, title FROM proposal WHERE announced_at IS NULL \
         AND closed_at IS NULL AND coalesce(vote_from, amend_until, created_at) <= ?1 \
         AND vote_until > ?1 AND about_post IS NULL AND about_comment IS NULL LIMIT 50",
        vec![int(now)],
    )
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Announce {
    pub id: String,
    pub community: String,
    pub title: String,
}

/// Marks a proposal's opening announced; nothing comes back when another run did it first.
pub fn announced(proposal: &str, now: i64) -> Query<crate::features::Id> {
    Query::new(
        "UPDATE proposal SET announced_at = ?2 WHERE id = ?1 AND announced_at IS NULL \
         RETURNING id",
        vec![text(proposal), int(now)],
    )
}
