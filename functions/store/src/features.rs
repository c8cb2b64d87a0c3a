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
