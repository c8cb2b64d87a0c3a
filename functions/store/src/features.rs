//! Features to co-fund, their pledges, and saved payment methods.
//!
//! Every change of status is a compare-and-set (`WHERE status = …`), so that concurrent
//! requests and scheduled runs agree: a feature is funded once, a pledge charged once.

/// The statuses of pledges that count toward a goal (domain::funding::PledgeStatus::counts).
macro_rules! counted {
    () => {
        "('committed', 'charging', 'charged', 'charge_failed')"
    };
}

/// ?1 id, ?2 title, ?3 description, ?4 goal_cents, ?5 currency, ?6 deadline, ?7 proposed by, ?8 now
pub const INSERT_FEATURE: &str = "INSERT INTO feature (id, title, description, goal_cents, \
     currency, deadline, status, proposed_by, created_at, updated_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'funding', ?7, ?8, ?8)";

/// Records the status a feature has now, the first time it has it. ?1 feature, ?2 now
pub const INSERT_HISTORY: &str = "INSERT INTO feature_history (feature_id, status, at) \
     SELECT id, status, ?2 FROM feature WHERE id = ?1 ON CONFLICT DO NOTHING";

/// ?1 feature
pub const HISTORY: &str =
    "SELECT status, at FROM feature_history WHERE feature_id = ?1 ORDER BY at, rowid";

/// A feature query: the columns with the committed sum and backers, then the tail.
macro_rules! feature_query {
    ($tail:literal) => {
        concat!(
            "SELECT f.id, f.title, f.description, f.goal_cents, f.currency, f.deadline, f.status, \
             f.created_at, \
             (SELECT coalesce(sum(amount_cents), 0) FROM pledge \
               WHERE feature_id = f.id AND status IN ",
            counted!(),
            ") AS pledged_cents, \
             (SELECT count(DISTINCT coalesce(person_id, id)) FROM pledge \
               WHERE feature_id = f.id AND status IN ",
            counted!(),
            ") AS backers FROM feature f ",
            $tail
        )
    };
}

/// ?1 id
pub const FEATURE_BY_ID: &str = feature_query!("WHERE f.id = ?1");

/// Features by status as the clock has it (all when ?1 is NULL): those funding first, nearest
/// deadline first. ?1 status or NULL, ?2 now
pub const FEATURES: &str = feature_query!(
    "WHERE ?1 IS NULL OR (CASE WHEN f.status = 'funding' AND f.deadline <= ?2 THEN 'expired' \
     ELSE f.status END) = ?1 \
     ORDER BY CASE WHEN f.status = 'funding' AND f.deadline > ?2 THEN 0 ELSE 1 END, \
     f.deadline, f.id LIMIT 200"
);

/// Funding → funded when the committed pledges reach the goal before the deadline. Changes
/// nothing when another request already made the transition. ?1 feature, ?2 now
pub const REACH_GOAL: &str = concat!(
    "UPDATE feature SET status = 'funded', updated_at = ?2 \
     WHERE id = ?1 AND status = 'funding' AND deadline > ?2 AND goal_cents <= \
     (SELECT coalesce(sum(amount_cents), 0) FROM pledge WHERE feature_id = ?1 AND status IN ",
    counted!(),
    ")"
);

/// Funding → expired once the deadline passed. ?1 feature, ?2 now
pub const EXPIRE: &str = "UPDATE feature SET status = 'expired', updated_at = ?2 \
     WHERE id = ?1 AND status = 'funding' AND deadline <= ?2";

/// Features past their deadline still recorded as funding. ?1 now, ?2 limit
pub const DUE_TO_EXPIRE: &str =
    "SELECT id FROM feature WHERE status = 'funding' AND deadline <= ?1 ORDER BY deadline LIMIT ?2";

/// An admin's move, if the feature still has the status it was read with: its id when it was
/// made, no row when the feature changed meanwhile.
/// ?1 id, ?2 new status, ?3 new deadline or NULL, ?4 now, ?5 status read
pub const STEER: &str = "UPDATE feature SET status = ?2, deadline = coalesce(?3, deadline), \
     updated_at = ?4 WHERE id = ?1 AND status = ?5 RETURNING id";

/// A pledge on a feature still funding, committed at once when the person has a saved card.
/// Inserts nothing for a key already used by this person (the first pledge stands).
/// ?1 id, ?2 feature, ?3 person, ?4 amount_cents, ?5 currency, ?6 idempotency key or NULL,
/// ?7 moved from or NULL, ?8 now
pub const INSERT_PLEDGE: &str = "INSERT INTO pledge (id, feature_id, person_id, amount_cents, \
     currency, status, idempotency_key, moved_from, created_at, updated_at) \
     SELECT ?1, ?2, ?3, ?4, ?5, \
     CASE WHEN EXISTS (SELECT 1 FROM payment_method WHERE person_id = ?3 AND method_ref IS NOT NULL) \
       THEN 'committed' ELSE 'pending' END, ?6, ?7, ?8, ?8 \
     WHERE EXISTS (SELECT 1 FROM feature WHERE id = ?2 AND status = 'funding' AND deadline > ?8) \
     ON CONFLICT (person_id, idempotency_key) DO NOTHING";

/// A pledge query: the columns with the feature's title, then the tail.
macro_rules! pledge_query {
    ($tail:literal) => {
        concat!(
            "SELECT p.id, p.feature_id, p.person_id, p.amount_cents, p.currency, p.status, \
             p.attempts, p.next_attempt_at, p.last_error, p.charge_ref, p.created_at, \
             f.title AS feature_title FROM pledge p JOIN feature f ON f.id = p.feature_id ",
            $tail
        )
    };
}

/// ?1 id
pub const PLEDGE_BY_ID: &str = pledge_query!("WHERE p.id = ?1");

/// ?1 person, ?2 idempotency key
pub const PLEDGE_BY_KEY: &str = pledge_query!("WHERE p.person_id = ?1 AND p.idempotency_key = ?2");

/// A person's pledges, newest first. ?1 person
pub const PLEDGES_OF_PERSON: &str =
    pledge_query!("WHERE p.person_id = ?1 ORDER BY p.created_at DESC, p.id LIMIT 200");

/// Pledges a feature may charge now: committed, failed and due again, or left charging by a
/// run that stopped (ten minutes ago). ?1 feature, ?2 now
pub const TO_CHARGE: &str = pledge_query!(
    "WHERE p.feature_id = ?1 AND (p.status = 'committed' \
     OR (p.status = 'charge_failed' AND p.next_attempt_at <= ?2) \
     OR (p.status = 'charging' AND p.updated_at <= ?2 - 600)) ORDER BY p.created_at"
);

/// The same, over every funded feature, for the scheduled run. ?1 now, ?2 limit
pub const DUE_CHARGES: &str = pledge_query!(
    "WHERE f.status IN ('funded', 'in_progress', 'delivered') AND (p.status = 'committed' \
     OR (p.status = 'charge_failed' AND p.next_attempt_at <= ?1) \
     OR (p.status = 'charging' AND p.updated_at <= ?1 - 600)) ORDER BY p.updated_at LIMIT ?2"
);

/// Takes a pledge to charge it; returns it, as it is now, only to the one run that took it.
/// ?1 id, ?2 now
pub const CLAIM: &str = "UPDATE pledge SET status = 'charging', updated_at = ?2 \
     WHERE id = ?1 AND (status = 'committed' \
       OR (status = 'charge_failed' AND next_attempt_at <= ?2) \
       OR (status = 'charging' AND updated_at <= ?2 - 600)) \
     AND feature_id IN (SELECT id FROM feature WHERE status IN ('funded', 'in_progress', 'delivered')) \
     RETURNING id, feature_id, person_id, amount_cents, currency, status, attempts, \
     next_attempt_at, last_error, charge_ref, created_at";

/// ?1 id, ?2 the provider's payment, ?3 now
pub const CHARGED: &str = "UPDATE pledge SET status = 'charged', charge_ref = ?2, \
     last_error = NULL, next_attempt_at = NULL, updated_at = ?3 WHERE id = ?1 AND status = 'charging'";

/// ?1 id, ?2 reason, ?3 next attempt or NULL (no more), ?4 now
pub const CHARGE_FAILED: &str = "UPDATE pledge SET status = 'charge_failed', \
     attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3, charge_ref = NULL, \
     updated_at = ?4 WHERE id = ?1 AND status = 'charging'";

/// The provider's payment, when it exists but has no final answer yet. ?1 id, ?2 payment
pub const CHARGE_REF: &str =
    "UPDATE pledge SET charge_ref = ?2 WHERE id = ?1 AND status = 'charging'";

/// A backer's withdrawal, as `domain::funding::withdraw` decides it (the store's test compares
/// the two over every state). ?1 id, ?2 now
pub const WITHDRAW: &str = "UPDATE pledge SET status = 'withdrawn', updated_at = ?2 \
     WHERE id = ?1 AND status IN ('pending', 'committed') \
     AND feature_id IN (SELECT id FROM feature WHERE status = 'funding' AND deadline > ?2)";

/// Pledges to let go: not yet charged, on a feature expired or declined. ?1 limit
pub const TO_RELEASE: &str = pledge_query!(
    "WHERE f.status IN ('expired', 'declined') AND p.status IN ('pending', 'committed') LIMIT ?1"
);

/// ?1 id, ?2 now
pub const RELEASE: &str = "UPDATE pledge SET status = 'released', updated_at = ?2 \
     WHERE id = ?1 AND status IN ('pending', 'committed')";

/// ?1 id, ?2 now
pub const REFUNDED: &str = "UPDATE pledge SET status = 'refunded', updated_at = ?2 \
     WHERE id = ?1 AND status = 'charged'";

/// A person's pending pledges on features still funding become committed (their card is saved).
/// ?1 person, ?2 now
pub const COMMIT_PENDING: &str = "UPDATE pledge SET status = 'committed', updated_at = ?2 \
     WHERE person_id = ?1 AND status = 'pending' \
     AND feature_id IN (SELECT id FROM feature WHERE status = 'funding' AND deadline > ?2)";

/// The features a person's pending pledges are on. ?1 person
pub const FEATURES_OF_PENDING: &str =
    "SELECT DISTINCT feature_id AS id FROM pledge WHERE person_id = ?1 AND status = 'pending'";

/// ?1 person, ?2 provider, ?3 customer, ?4 saved method or NULL, ?5 now
pub const SAVE_METHOD: &str = "INSERT INTO payment_method \
     (person_id, provider, customer_ref, method_ref, saved_at) VALUES (?1, ?2, ?3, ?4, ?5) \
     ON CONFLICT (person_id) DO UPDATE SET provider = excluded.provider, \
     customer_ref = excluded.customer_ref, \
     method_ref = coalesce(excluded.method_ref, payment_method.method_ref), saved_at = excluded.saved_at";

/// ?1 person
pub const METHOD_OF: &str =
    "SELECT provider, customer_ref, method_ref FROM payment_method WHERE person_id = ?1";

/// A row that is only an id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Id {
    pub id: String,
}

/// A feature's status reached at a moment (its history).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Reached {
    pub status: domain::funding::FeatureStatus,
    pub at: i64,
}

/// The features' statements, bound and decoded: what the application runs and the store's tests
/// exercise.
pub mod feature {
    use super::*;
    use crate::db::{Query, Statement, int, opt_text, text};
    use domain::feature::{FeatureRequest, FeatureRow};
    use domain::funding::FeatureStatus;

    /// A new feature, funding, proposed by `person`.
    pub fn insert(id: &str, asked: &FeatureRequest, person: &str, now: i64) -> Statement {
        let args = vec![
            text(id),
            text(&asked.title),
            text(&asked.description),
            int(asked.goal_cents),
            text(&asked.currency),
            int(asked.deadline),
            text(person),
            int(now),
        ];
        Statement::new(INSERT_FEATURE, args)
    }

    /// Records the status the feature has now, the first time it has it.
    pub fn note_history(id: &str, now: i64) -> Statement {
        Statement::new(INSERT_HISTORY, vec![text(id), int(now)])
    }

    pub fn history(id: &str) -> Query<Reached> {
        Query::new(HISTORY, vec![text(id)])
    }

    pub fn by_id(id: &str) -> Query<FeatureRow> {
        Query::new(FEATURE_BY_ID, vec![text(id)])
    }

    /// Features by status as the clock has it (every one for None).
    pub fn listed(status: Option<FeatureStatus>, now: i64) -> Query<FeatureRow> {
        Query::new(
            FEATURES,
            vec![opt_text(status.map(FeatureStatus::as_str)), int(now)],
        )
    }

    /// Funding → funded if the committed pledges reach the goal before the deadline.
    pub fn reach_goal(id: &str, now: i64) -> Statement {
        Statement::new(REACH_GOAL, vec![text(id), int(now)])
    }

    /// Funding → expired once the deadline passed.
    pub fn expire(id: &str, now: i64) -> Statement {
        Statement::new(EXPIRE, vec![text(id), int(now)])
    }

    pub fn due_to_expire(now: i64, limit: i64) -> Query<Id> {
        Query::new(DUE_TO_EXPIRE, vec![int(now), int(limit)])
    }

    /// An admin's move from the status `row` was read with; the feature's id when it changed.
    pub fn steer(
        row: &FeatureRow,
        status: FeatureStatus,
        deadline: Option<i64>,
        now: i64,
    ) -> Query<Id> {
        let args = vec![
            text(&row.id),
            text(status.as_str()),
            deadline.map_or(crate::search::Arg::Null, int),
            int(now),
            text(row.status.as_str()),
        ];
        Query::new(STEER, args)
    }
}

/// A new pledge.
#[derive(Debug, Clone, Copy)]
pub struct NewPledge<'a> {
    pub id: &'a str,
    pub feature_id: &'a str,
    pub person_id: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
    pub key: Option<&'a str>,
    pub moved_from: Option<&'a str>,
}

/// A person's saved card at the provider.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct SavedMethod {
    pub provider: String,
    pub customer_ref: String,
    pub method_ref: Option<String>,
}

/// The pledges' and saved cards' statements, bound and decoded.
pub mod pledge {
    use super::*;
    use crate::db::{Query, Statement, int, opt_text, text};
    use domain::pledge::PledgeRow;

    /// Inserts a pledge (nothing when its key was used, or its feature no longer funds).
    pub fn insert(p: &NewPledge<'_>, now: i64) -> Statement {
        let args = vec![
            text(p.id),
            text(p.feature_id),
            text(p.person_id),
            int(p.amount_cents),
            text(p.currency),
            opt_text(p.key),
            opt_text(p.moved_from),
            int(now),
        ];
        Statement::new(INSERT_PLEDGE, args)
    }

    pub fn by_id(id: &str) -> Query<PledgeRow> {
        Query::new(PLEDGE_BY_ID, vec![text(id)])
    }

    pub fn by_key(person: &str, key: &str) -> Query<PledgeRow> {
        Query::new(PLEDGE_BY_KEY, vec![text(person), text(key)])
    }

    pub fn of_person(person: &str) -> Query<PledgeRow> {
        Query::new(PLEDGES_OF_PERSON, vec![text(person)])
    }

    pub fn to_charge(feature: &str, now: i64) -> Query<PledgeRow> {
        Query::new(TO_CHARGE, vec![text(feature), int(now)])
    }

    pub fn due_charges(now: i64, limit: i64) -> Query<PledgeRow> {
        Query::new(DUE_CHARGES, vec![int(now), int(limit)])
    }

    pub fn to_release(limit: i64) -> Query<PledgeRow> {
        Query::new(TO_RELEASE, vec![int(limit)])
    }

    /// Takes the pledge to charge it: its row when this run took it.
    pub fn claim(id: &str, now: i64) -> Query<PledgeRow> {
        Query::new(CLAIM, vec![text(id), int(now)])
    }

    /// A charge refused: the reason, and when it is tried again (never: None).
    pub fn charge_failed(id: &str, reason: &str, next: Option<i64>, now: i64) -> Statement {
        let next = next.map_or(crate::search::Arg::Null, int);
        Statement::new(CHARGE_FAILED, vec![text(id), text(reason), next, int(now)])
    }

    /// The provider's payment for a charge not yet answered.
    pub fn charge_ref(id: &str, payment: &str) -> Statement {
        Statement::new(CHARGE_REF, vec![text(id), text(payment)])
    }

    /// Records a pledge charged by the provider's payment `reference`.
    pub fn charged(id: &str, reference: &str, now: i64) -> Statement {
        Statement::new(CHARGED, vec![text(id), text(reference), int(now)])
    }

    /// Lets a pledge go at its backer's request (`domain::funding::withdraw`).
    pub fn withdraw(id: &str, now: i64) -> Statement {
        Statement::new(WITHDRAW, vec![text(id), int(now)])
    }

    /// Lets a pledge go without charge (its feature expired or was declined).
    pub fn release(id: &str, now: i64) -> Statement {
        Statement::new(RELEASE, vec![text(id), int(now)])
    }

    /// A charged pledge paid back.
    pub fn refunded(id: &str, now: i64) -> Statement {
        Statement::new(REFUNDED, vec![text(id), int(now)])
    }

    /// Commits a person's pending pledges (their card is saved).
    pub fn commit_pending(person: &str, now: i64) -> Statement {
        Statement::new(COMMIT_PENDING, vec![text(person), int(now)])
    }

    /// The features a person has pending pledges on.
    pub fn features_of_pending(person: &str) -> Query<Id> {
        Query::new(FEATURES_OF_PENDING, vec![text(person)])
    }

    /// Saves a person's customer at the provider, and their card once there is one.
    pub fn save_method(
        person: &str,
        provider: &str,
        customer: &str,
        card: Option<&str>,
        now: i64,
    ) -> Statement {
        let args = vec![
            text(person),
            text(provider),
            text(customer),
            opt_text(card),
            int(now),
        ];
        Statement::new(SAVE_METHOD, args)
    }

    pub fn method_of(person: &str) -> Query<SavedMethod> {
        Query::new(METHOD_OF, vec![text(person)])
    }
}
