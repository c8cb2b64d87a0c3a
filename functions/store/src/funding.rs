//! Donations, provider events and the ledger.

/// ?1 id, ?2 person id, ?3 amount_cents, ?4 currency, ?5 recurring, ?6 provider, ?7 created_at
pub const INSERT_DONATION: &str = "INSERT INTO donation (id, person_id, amount_cents, currency, \
     recurring, status, provider, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)";

/// A donation query: the columns, then the tail.
macro_rules! donation_query {
    ($tail:literal) => {
        concat!(
            "SELECT id, person_id, amount_cents, currency, recurring, status, provider, \
             checkout_ref, subscription_ref, created_at, confirmed_at, canceled_at FROM donation ",
            $tail
        )
    };
}

/// ?1 id
pub const DONATION_BY_ID: &str = donation_query!("WHERE id = ?1");

/// A person's donations, newest first. ?1 person id
pub const DONATIONS_OF_PERSON: &str =
    donation_query!("WHERE person_id = ?1 ORDER BY created_at DESC, id");

/// ?1 id, ?2 the provider's checkout session
pub const SET_CHECKOUT: &str = "UPDATE donation SET checkout_ref = ?2 WHERE id = ?1";

/// Pending → confirmed (one-off) or active (monthly); only once. ?1 id, ?2 subscription or NULL, ?3 now
pub const CONFIRM_DONATION: &str = "UPDATE donation SET \
     status = CASE recurring WHEN 'monthly' THEN 'active' ELSE 'confirmed' END, \
     subscription_ref = coalesce(?2, subscription_ref), confirmed_at = ?3 \
     WHERE id = ?1 AND status = 'pending'";

/// A one-off gift whose delayed payment failed: it will not come. Only a pending one.
/// ?1 id, ?2 now
pub const FAIL_DONATION: &str = "UPDATE donation SET status = 'canceled', canceled_at = ?2 \
     WHERE id = ?1 AND status = 'pending'";

/// ?1 subscription
pub const DONATION_BY_SUBSCRIPTION: &str = donation_query!("WHERE subscription_ref = ?1");

/// A monthly gift stops (by its donor, or its subscription ended). ?1 id, ?2 now
pub const CANCEL_DONATION: &str = "UPDATE donation SET status = 'canceled', canceled_at = ?2 \
     WHERE id = ?1 AND status = 'active'";

/// ?1 event id
pub const EVENT_SEEN: &str = "SELECT count(*) AS n FROM payment_event WHERE id = ?1";

/// Fails on a second insert of the same id, which undoes the batch it is in. ?1 id, ?2 type, ?3 now
pub const INSERT_EVENT: &str =
    "INSERT INTO payment_event (id, type, received_at) VALUES (?1, ?2, ?3)";

/// A ledger query: the published columns, then the tail.
macro_rules! entry_query {
    ($tail:literal) => {
        concat!(
            "SELECT seq, at, kind, amount_cents, currency, ref, prev_hash, hash FROM ledger_entry ",
            $tail
        )
    };
}

/// The entries to seal, after the last sealed one (which comes first, to chain them to): none
/// when every entry is sealed. ?1 limit
pub const LEDGER_TO_SEAL: &str = entry_query!(
    "WHERE seq >= (SELECT min(seq) - 1 FROM ledger_entry WHERE hash IS NULL) ORDER BY seq LIMIT ?1"
);

/// Seals an entry: its hashes, computed from the stored entries (`domain::ledger::seal`), so a
/// run that seals it at the same time writes the same values or nothing.
/// ?1 seq, ?2 prev_hash, ?3 hash
pub const SEAL_ENTRY: &str =
    "UPDATE ledger_entry SET prev_hash = ?2, hash = ?3 WHERE seq = ?1 AND hash IS NULL";

/// Entries after a sequence number. ?1 after seq, ?2 limit
pub const LEDGER_PAGE: &str = entry_query!("WHERE seq > ?1 ORDER BY seq LIMIT ?2");

/// The whole chain, to verify or export.
pub const LEDGER_ALL: &str = entry_query!("ORDER BY seq");

/// The latest entries, newest first. ?1 limit
pub const LEDGER_LATEST: &str = entry_query!("ORDER BY seq DESC LIMIT ?1");

/// A page of entries older than ?1 (a sequence number), newest first, each with the feature it
/// concerns (a pledge's, or its own), for the transparency page. ?1 before seq, ?2 limit
pub const LEDGER_LINES: &str = "SELECT l.seq, l.at, l.kind, l.amount_cents, l.currency, l.ref, \
     l.hash, f.id AS feature_id, f.title AS feature_title FROM ledger_entry l \
     LEFT JOIN pledge p ON l.ref LIKE 'pledge:%' AND p.id = substr(l.ref, 8) \
     LEFT JOIN feature f ON f.id = CASE WHEN l.ref LIKE 'feature:%' THEN substr(l.ref, 9) \
       ELSE p.feature_id END \
     WHERE l.seq < ?1 ORDER BY l.seq DESC LIMIT ?2";

/// Whether a money movement is already entered. ?1 source
pub const LEDGER_HAS_SOURCE: &str = "SELECT count(*) AS n FROM ledger_entry WHERE source = ?1";

/// A one-off gift paid back in full. ?1 donation id, ?2 now
pub const DONATION_PAID_BACK: &str = "UPDATE donation SET status = 'canceled', canceled_at = ?2 \
     WHERE id = ?1 AND status = 'confirmed'";

/// The payment a refund pays back, as the ledger entered it: the money received under one of
/// the provider's names for it (payment intent, invoice, charge), read by the unique `source`,
/// directly or through `payment_alias`.
/// ?1 those names, as a JSON array
pub const LEDGER_REFUNDED: &str = "SELECT ref, amount_cents, currency FROM ledger_entry \
     WHERE source IN (SELECT value FROM json_each(?1) \
       UNION SELECT source FROM payment_alias WHERE alias IN (SELECT value FROM json_each(?1))) \
     AND kind <> 'refund' ORDER BY seq LIMIT 1";

/// The provider's other names for a payment the ledger enters under `?1` (a JSON list in ?2).
pub const NAME_PAYMENT: &str = "INSERT OR IGNORE INTO payment_alias (alias, source) \
     SELECT value, ?1 FROM json_each(?2)";

/// Appends an entry, unsealed, at the next `seq` SQLite gives it: never a conflict with a
/// concurrent append. Fails only for a movement already entered (same `source`), which fails
/// its whole batch. ?1 at, ?2 kind, ?3 amount_cents, ?4 currency, ?5 ref, ?6 source
pub const INSERT_ENTRY: &str = "INSERT INTO ledger_entry \
     (at, kind, amount_cents, currency, ref, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// A release's entry, entered only if the pledge was let go in the same batch (withdrawn or
/// released): a charge that claimed it first leaves no release for a charged pledge. Same
/// arguments as `INSERT_ENTRY` (?5 is `pledge:<id>`).
pub const INSERT_RELEASE: &str = "INSERT INTO ledger_entry \
     (at, kind, amount_cents, currency, ref, source) \
     SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM pledge \
       WHERE id = substr(?5, 8) AND status IN ('withdrawn', 'released'))";

/// The public counters: donors (a confirmed gift since ?1, or a monthly gift running), the
/// monthly total running, and all money received less refunds.
pub const SUMMARY: &str = "SELECT \
     (SELECT count(DISTINCT coalesce(person_id, id)) FROM donation \
       WHERE status = 'active' OR (status = 'confirmed' AND confirmed_at >= ?1)) AS donors, \
     (SELECT coalesce(sum(amount_cents), 0) FROM donation \
       WHERE status = 'active' AND recurring = 'monthly') AS monthly_cents, \
     (SELECT coalesce(sum(CASE kind WHEN 'gift' THEN amount_cents WHEN 'charge' THEN amount_cents \
       WHEN 'refund' THEN -amount_cents ELSE 0 END), 0) FROM ledger_entry) AS total_cents";

/// Whether a person counts as a donor. ?1 person id, ?2 a year ago
pub const IS_DONOR: &str = "SELECT count(*) AS n FROM donation WHERE person_id = ?1 \
     AND (status = 'active' OR (status = 'confirmed' AND confirmed_at >= ?2))";

/// The donations' statements, bound and decoded: what the application runs and the store's tests
/// exercise.
pub mod donations {
    use super::*;
    use crate::db::{Count, Query, Statement, int, opt_text, text};
    use domain::donation::{DonationRow, Summary};

    /// Records a new donation, pending.
    pub fn insert(row: &DonationRow) -> Statement {
        let args = vec![
            text(&row.id),
            opt_text(row.person_id.as_deref()),
            int(row.amount_cents),
            text(&row.currency),
            text(row.recurring.as_str()),
            text(&row.provider),
            int(row.created_at),
        ];
        Statement::new(INSERT_DONATION, args)
    }

    pub fn by_id(id: &str) -> Query<DonationRow> {
        Query::new(DONATION_BY_ID, vec![text(id)])
    }

    pub fn by_subscription(subscription: &str) -> Query<DonationRow> {
        Query::new(DONATION_BY_SUBSCRIPTION, vec![text(subscription)])
    }

    /// A person's donations, newest first.
    pub fn of_person(person: &str) -> Query<DonationRow> {
        Query::new(DONATIONS_OF_PERSON, vec![text(person)])
    }

    pub fn set_checkout(id: &str, session: &str) -> Statement {
        Statement::new(SET_CHECKOUT, vec![text(id), text(session)])
    }

    /// Confirms a pending donation (a monthly one with its subscription).
    pub fn confirm(id: &str, subscription: Option<&str>, now: i64) -> Statement {
        Statement::new(
            CONFIRM_DONATION,
            vec![text(id), opt_text(subscription), int(now)],
        )
    }

    /// Stops a running monthly gift.
    pub fn cancel(id: &str, now: i64) -> Statement {
        Statement::new(CANCEL_DONATION, vec![text(id), int(now)])
    }

    /// Cancels a pending gift whose delayed payment failed.
    pub fn fail(id: &str, now: i64) -> Statement {
        Statement::new(FAIL_DONATION, vec![text(id), int(now)])
    }

    /// Marks a one-off gift paid back in full.
    pub fn paid_back(id: &str, now: i64) -> Statement {
        Statement::new(DONATION_PAID_BACK, vec![text(id), int(now)])
    }

    /// Whether the person gives monthly or gave since `year_ago` (`DonationStatus::makes_donor`).
    pub fn is_donor(person: &str, year_ago: i64) -> Query<Count> {
        Query::new(IS_DONOR, vec![text(person), int(year_ago)])
    }

    /// The public counters, donors counted since `year_ago`.
    pub fn summary(year_ago: i64) -> Query<Summary> {
        Query::new(SUMMARY, vec![int(year_ago)])
    }

    pub fn event_seen(id: &str) -> Query<Count> {
        Query::new(EVENT_SEEN, vec![text(id)])
    }

    /// Records a provider's event as seen (a second time fails its batch).
    pub fn insert_event(id: &str, type_: &str, now: i64) -> Statement {
        Statement::new(INSERT_EVENT, vec![text(id), text(type_), int(now)])
    }

    /// Keeps the provider's other names for the payment entered under `source`.
    pub fn name_payment(source: &str, names: &[String]) -> Statement {
        let names = serde_json::to_string(names).unwrap_or_default();
        Statement::new(NAME_PAYMENT, vec![text(source), text(&names)])
    }
}

/// Money to enter in the ledger, in the same batch as what it pays for.
#[derive(Debug, Clone, PartialEq)]
pub struct Movement {
    pub kind: domain::ledger::EntryKind,
    pub reference: String,
    pub payment: domain::donation::Payment,
}

/// The ledger's statements, bound and decoded.
pub mod ledger {
    use super::*;
    use crate::db::{Count, Query, Statement, int, text};
    use domain::donation::RefundedPayment;
    use domain::ledger::{Appended, Entry, EntryKind, Line};

    /// Whether a money movement is already entered.
    pub fn has_source(source: &str) -> Query<Count> {
        Query::new(LEDGER_HAS_SOURCE, vec![text(source)])
    }

    /// The payment a refund pays back, entered under any of the provider's names `paid_by`.
    pub fn refunded(paid_by: &[String]) -> Query<RefundedPayment> {
        let names = serde_json::to_string(paid_by).unwrap_or_default();
        Query::new(LEDGER_REFUNDED, vec![text(&names)])
    }

    /// Entries after `after`, in order.
    pub fn page(after: i64, limit: i64) -> Query<Entry> {
        Query::new(LEDGER_PAGE, vec![int(after), int(limit)])
    }

    /// The latest entries, newest first.
    pub fn latest(limit: i64) -> Query<Entry> {
        Query::new(LEDGER_LATEST, vec![int(limit)])
    }

    /// The transparency page's lines older than `before`, newest first.
    pub fn lines(before: i64, limit: i64) -> Query<Line> {
        Query::new(LEDGER_LINES, vec![int(before), int(limit)])
    }

    /// The whole chain, sealed.
    pub fn all() -> Query<Entry> {
        Query::new(LEDGER_ALL, Vec::new())
    }

    /// The whole chain as stored, sealed or not (what `communs doctor` verifies).
    pub fn all_appended() -> Query<Appended> {
        Query::new(LEDGER_ALL, Vec::new())
    }

    /// The entries to seal, after the last sealed one.
    pub fn to_seal(limit: i64) -> Query<Appended> {
        Query::new(LEDGER_TO_SEAL, vec![int(limit)])
    }

    /// Seals an entry with the hashes `domain::ledger::seal` computed.
    pub fn seal(entry: &Entry) -> Statement {
        let args = vec![int(entry.seq), text(&entry.prev_hash), text(&entry.hash)];
        Statement::new(SEAL_ENTRY, args)
    }

    /// Appends `m` at `at`; a release only if its pledge was let go in the same batch.
    pub fn append(m: &Movement, at: &str) -> Statement {
        let p = &m.payment;
        let args = vec![
            text(at),
            text(m.kind.as_str()),
            int(p.amount_cents),
            text(&p.currency),
            text(&m.reference),
            text(&p.source),
        ];
        let insert = match m.kind {
            EntryKind::Release => INSERT_RELEASE,
            _ => INSERT_ENTRY,
        };
        Statement::new(insert, args)
    }
}
