//! Donations, events and the ledger against SQLite.

use crate::db::{Count, Statement};
use crate::funding::*;
use crate::native::{execute, query};
use crate::testdb;
use domain::donation::Payment;
use domain::donation::{DonationRow, DonationStatus};
use domain::ledger::{Entry, EntryKind};
use rusqlite::{Connection, params};

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES ('p1', 'a@b.fr', 0, 0), ('p2', 'c@d.fr', 0, 0);",
    )
    .unwrap();
    db
}

fn donate(db: &Connection, id: &str, person: &str, cents: i64, recurring: &str) {
    let row = DonationRow {
        id: id.into(),
        person_id: Some(person.into()),
        amount_cents: cents,
        currency: "EUR".into(),
        recurring: serde_json::from_value(recurring.into()).unwrap(),
        status: DonationStatus::Pending,
        provider: "development".into(),
        checkout_ref: None,
        subscription_ref: None,
        created_at: 10,
        confirmed_at: None,
        canceled_at: None,
    };
    execute(db, &donations::insert(&row)).unwrap();
    let stored = query(db, &donations::by_id(id)).unwrap();
    assert_eq!(
        (
            stored[0].person_id.as_deref(),
            stored[0].amount_cents,
            stored[0].recurring,
            stored[0].status
        ),
        (Some(person), cents, row.recurring, DonationStatus::Pending),
        "a donation reads back as it was written"
    );
}

fn run(db: &Connection, statement: Statement) -> usize {
    execute(db, &statement).unwrap()
}

fn status(db: &Connection, id: &str) -> DonationStatus {
    query(db, &donations::by_id(id)).unwrap()[0].status
}

/// Appends a movement and seals the chain, as a commit does.
fn append(db: &Connection, kind: EntryKind, cents: i64, reference: &str, source: &str) -> usize {
    let entered = enter(db, kind, cents, reference, source);
    seal(db);
    entered
}

/// A movement of `cents` euros.
fn movement(kind: EntryKind, cents: i64, reference: &str, source: &str) -> Movement {
    Movement {
        kind,
        reference: reference.into(),
        payment: Payment {
            amount_cents: cents,
            currency: "EUR".into(),
            source: source.into(),
        },
    }
}

/// Runs a movement's append (a release's only if its pledge was let go); the rows it wrote.
fn enter(db: &Connection, kind: EntryKind, cents: i64, reference: &str, source: &str) -> usize {
    let m = movement(kind, cents, reference, source);
    execute(db, &ledger::append(&m, "2026-11-23T10:00:00Z")).unwrap()
}

/// Seals what is unsealed, as the application's `repo::ledger::seal` does; the entries it
/// sealed.
fn seal(db: &Connection) -> usize {
    let appended = query(db, &ledger::to_seal(100)).unwrap();
    domain::ledger::seal(&appended)
        .iter()
        .map(|e| execute(db, &ledger::seal(e)).unwrap())
        .sum()
}

fn chain(db: &Connection) -> Vec<Entry> {
    query(db, &ledger::all()).unwrap()
}

fn summary(db: &Connection, since: i64) -> (i64, i64, i64) {
    let s = query(db, &donations::summary(since)).unwrap().remove(0);
    (s.donors, s.monthly_cents, s.total_cents)
}

#[test]
fn a_donation_is_confirmed_once_and_counted() {
    let db = db();
    donate(&db, "d1", "p1", 500, "monthly");
    donate(&db, "d2", "p2", 2000, "none");
    assert_eq!(
        summary(&db, 0),
        (0, 0, 0),
        "pending gifts count for nothing"
    );
    assert_eq!(run(&db, donations::confirm("d1", Some("sub_1"), 20)), 1);
    assert_eq!(
        run(&db, donations::confirm("d1", Some("sub_9"), 30)),
        0,
        "once"
    );
    assert_eq!(run(&db, donations::confirm("d2", None, 20)), 1);
    append(&db, EntryKind::Gift, 500, "donation:d1", "in_1");
    append(&db, EntryKind::Gift, 2000, "donation:d2", "pi_2");
    assert_eq!(summary(&db, 0), (2, 500, 2500));
    assert_eq!(
        summary(&db, 25).0,
        1,
        "a one-off gift older than a year no longer makes a donor"
    );
    let monthly = query(&db, &donations::by_subscription("sub_1")).unwrap();
    assert_eq!(monthly[0].status, DonationStatus::Active);
    assert_eq!(run(&db, donations::cancel("d1", 40)), 1);
    assert_eq!(
        summary(&db, 0),
        (1, 0, 2500),
        "a canceled monthly gift stops counting, its money stays"
    );
}

#[test]
fn an_event_and_a_money_movement_are_recorded_once() {
    let db = db();
    assert!(!Count::any(
        &query(&db, &donations::event_seen("evt_1")).unwrap()
    ));
    run(&db, donations::insert_event("evt_1", "invoice.paid", 1));
    assert!(execute(&db, &donations::insert_event("evt_1", "invoice.paid", 2)).is_err());
    assert!(Count::any(
        &query(&db, &donations::event_seen("evt_1")).unwrap()
    ));
    assert_eq!(append(&db, EntryKind::Gift, 500, "donation:d1", "in_1"), 1);
    let m = movement(EntryKind::Gift, 500, "donation:d1", "in_1");
    let twice = execute(&db, &ledger::append(&m, "2026-11-23T10:00:00Z"));
    let message = twice.unwrap_err().to_string();
    assert!(
        crate::broke_a_constraint(&message),
        "the same invoice is never entered twice, and that is told as a conflict: {message}"
    );
    assert_eq!(chain(&db).len(), 1);
}

#[test]
fn appends_take_the_next_place_and_are_sealed_into_one_chain() {
    let db = db();
    // Three appends land before anyone seals (concurrent requests): none conflicts.
    for (i, source) in ["pi_1", "pi_2", "pi_3"].iter().enumerate() {
        let reference = format!("donation:d{i}");
        assert_eq!(enter(&db, EntryKind::Gift, 100, &reference, source), 1);
    }
    let unsealed: Vec<domain::ledger::Appended> = query(&db, &ledger::to_seal(100)).unwrap();
    assert_eq!(
        unsealed
            .iter()
            .map(|e| (e.seq, e.hash.is_none()))
            .collect::<Vec<_>>(),
        [(1, true), (2, true), (3, true)]
    );
    assert_eq!(seal(&db), 3);
    assert_eq!(seal(&db), 0, "sealing again has nothing to do");
    let rows_to_seal: Vec<domain::ledger::Appended> = query(&db, &ledger::to_seal(100)).unwrap();
    assert!(
        rows_to_seal.is_empty(),
        "nothing is read when all is sealed"
    );
    // Two more, then two sealing runs at once: the same hashes, written once.
    enter(&db, EntryKind::Refund, 100, "donation:d0", "re_1");
    enter(
        &db,
        EntryKind::Expense,
        40,
        "expense:hébergement",
        "expense:1",
    );
    let first: Vec<domain::ledger::Appended> = query(&db, &ledger::to_seal(100)).unwrap();
    assert_eq!(
        first[0].seq, 3,
        "the last sealed entry comes first, to chain to"
    );
    let (a, b) = (domain::ledger::seal(&first), domain::ledger::seal(&first));
    assert_eq!(a, b);
    let written: usize = a
        .iter()
        .chain(&b)
        .map(|e| execute(&db, &ledger::seal(e)).unwrap())
        .sum();
    assert_eq!(written, 2, "the second run's writes change nothing");
    let verified = domain::ledger::verify(&chain(&db)).unwrap();
    assert_eq!(
        (verified.count, verified.head),
        (5, chain(&db)[4].hash.clone())
    );
}

#[test]
fn the_stored_chain_verifies_and_names_the_row_changed_behind_its_back() {
    let db = db();
    for (i, source) in ["a", "b", "c"].iter().enumerate() {
        append(
            &db,
            EntryKind::Gift,
            100 * (i as i64 + 1),
            "donation:x",
            source,
        );
    }
    let all: Vec<Entry> = query(&db, &ledger::all()).unwrap();
    let verified = domain::ledger::verify(&all).unwrap();
    assert_eq!(
        (verified.count, verified.head.as_str()),
        (3, all[2].hash.as_str())
    );
    db.execute(
        "UPDATE ledger_entry SET amount_cents = 999 WHERE seq = 2",
        [],
    )
    .unwrap();
    let all: Vec<Entry> = query(&db, &ledger::all()).unwrap();
    assert_eq!(domain::ledger::verify(&all).unwrap_err().seq, 2);
    let page: Vec<Entry> = query(&db, &ledger::page(1, 1)).unwrap();
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [2]);
}

#[test]
fn a_refund_finds_the_payment_it_pays_back_and_a_one_off_gift_stops_counting() {
    let db = db();
    donate(&db, "d1", "p1", 2000, "none");
    run(&db, donations::confirm("d1", None, 20));
    append(&db, EntryKind::Gift, 2000, "donation:d1", "pi_1");
    append(&db, EntryKind::Refund, 2000, "donation:d1", "re_1");
    let found = |names: &[&str]| -> Vec<domain::donation::RefundedPayment> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        query(&db, &ledger::refunded(&names)).unwrap()
    };
    // By any of the provider's names for the payment, never the refund itself.
    let paid = found(&["ch_1", "pi_1"]);
    assert_eq!(paid.len(), 1);
    assert_eq!(
        (paid[0].reference.as_str(), paid[0].amount_cents),
        ("donation:d1", 2000)
    );
    assert!(found(&["re_1"]).is_empty());
    assert!(found(&["pi_unknown"]).is_empty());

    assert_eq!(summary(&db, 0).0, 1, "a donor before");
    assert_eq!(run(&db, donations::paid_back("d1", 30)), 1);
    assert_eq!(
        summary(&db, 0),
        (0, 0, 0),
        "no donor, no money once paid back"
    );
    // A monthly gift stays running when one of its payments is paid back.
    donate(&db, "d2", "p2", 500, "monthly");
    run(&db, donations::confirm("d2", Some("sub_1"), 40));
    assert_eq!(run(&db, donations::paid_back("d2", 50)), 0);
    // Its invoice is entered under the invoice's id; a refund names the payment intent and the
    // charge, which the invoice payment's event tied to the invoice (twice told, kept once).
    append(&db, EntryKind::Gift, 500, "donation:d2", "in_1");
    assert!(found(&["pi_2", "ch_2"]).is_empty(), "not yet told");
    for _ in 0..2 {
        let names = ["pi_2".to_string(), "ch_2".to_string()];
        run(&db, donations::name_payment("in_1", &names));
    }
    let paid = found(&["pi_2", "ch_2"]);
    assert_eq!(paid.len(), 1);
    assert_eq!(
        (paid[0].reference.as_str(), paid[0].amount_cents),
        ("donation:d2", 500)
    );
    assert_eq!(found(&["ch_2"]).len(), 1);
}

#[test]
fn the_transparency_page_reads_entries_by_page_with_their_feature() {
    let db = db();
    db.execute_batch(
        "INSERT INTO feature (id, title, description, goal_cents, currency, deadline, status, created_at, updated_at) \
           VALUES ('f1', 'Carte hors ligne', 'd', 10000, 'EUR', 0, 'funded', 0, 0); \
         INSERT INTO pledge (id, feature_id, person_id, amount_cents, currency, status, created_at, updated_at) \
           VALUES ('pl1', 'f1', 'p1', 5000, 'EUR', 'charged', 0, 0);",
    )
    .unwrap();
    append(&db, EntryKind::Gift, 500, "donation:d1", "s1");
    append(&db, EntryKind::Charge, 5000, "pledge:pl1", "s2");
    append(&db, EntryKind::Allocation, 9000, "feature:f1", "s3");
    append(&db, EntryKind::Expense, 1200, "expense:Hébergement", "s4");
    let lines: Vec<domain::ledger::Line> = query(&db, &ledger::lines(i64::MAX, 3)).unwrap();
    let seqs: Vec<i64> = lines.iter().map(|l| l.seq).collect();
    assert_eq!(seqs, [4, 3, 2]);
    let objects: Vec<(String, Option<String>)> =
        lines.iter().map(domain::ledger::Line::object).collect();
    assert_eq!(objects[0], ("Hébergement".into(), None));
    assert_eq!(
        objects[1],
        ("« Carte hors ligne »".into(), Some("/financer/f1/".into()))
    );
    assert_eq!(
        objects[2], objects[1],
        "a charge names its pledge's feature"
    );
    let older: Vec<domain::ledger::Line> = query(&db, &ledger::lines(2, 3)).unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(
        older[0].object(),
        ("Un don".into(), None),
        "a gift names nobody"
    );
}

#[test]
fn a_failed_delayed_payment_cancels_a_pending_gift_only() {
    let db = db();
    donate(&db, "d1", "p1", 1500, "none");
    donate(&db, "d2", "p1", 1500, "none");
    run(&db, donations::confirm("d2", None, 20));
    for id in ["d1", "d2"] {
        run(&db, donations::fail(id, 30));
    }
    assert_eq!(status(&db, "d1"), DonationStatus::Canceled);
    assert_eq!(
        status(&db, "d2"),
        DonationStatus::Confirmed,
        "a gift received stays received"
    );
}

#[test]
fn a_release_is_entered_only_for_a_pledge_let_go_in_its_batch() {
    let db = db();
    db.execute_batch(
        "INSERT INTO feature (id, title, description, goal_cents, currency, deadline, status, created_at, updated_at) \
           VALUES ('f1', 'Carte', 'd', 10000, 'EUR', 100, 'funding', 0, 0); \
         INSERT INTO pledge (id, feature_id, person_id, amount_cents, currency, status, created_at, updated_at) \
           VALUES ('pl1', 'f1', 'p1', 5000, 'EUR', 'committed', 0, 0), ('pl2', 'f1', 'p1', 4000, 'EUR', 'committed', 0, 0);",
    )
    .unwrap();
    // A charge run claimed pl2 just before its backer's withdrawal.
    db.execute("UPDATE pledge SET status = 'charging' WHERE id = 'pl2'", [])
        .unwrap();
    let withdraw = |id: &str| -> usize {
        let tx = db.unchecked_transaction().unwrap();
        execute(&tx, &crate::features::pledge::withdraw(id, 10)).unwrap();
        let entered = enter(
            &tx,
            EntryKind::Release,
            5000,
            &format!("pledge:{id}"),
            &format!("release:{id}"),
        );
        tx.commit().unwrap();
        entered
    };
    assert_eq!(withdraw("pl1"), 1, "withdrawn: its release is entered");
    assert_eq!(withdraw("pl2"), 0, "claimed by a charge: no release for it");
    let kinds: Vec<String> = db
        .prepare("SELECT ref FROM ledger_entry ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kinds, ["pledge:pl1"]);
}

#[test]
fn a_broken_constraint_is_told_apart_from_a_failing_database() {
    let db = db();
    let broken = [
        db.execute(INSERT_EVENT, params!["evt_1", "invoice.paid", 1])
            .and_then(|_| db.execute(INSERT_EVENT, params!["evt_1", "invoice.paid", 2])),
        db.execute(
            "INSERT INTO person (id, email, created_at, updated_at) VALUES ('p1', 'x@y.fr', 0, 0)",
            [],
        ),
        db.execute(
            "INSERT INTO payment_event (id, type, received_at) VALUES ('e', NULL, 1)",
            [],
        ),
    ];
    for error in broken {
        let message = error.unwrap_err().to_string();
        assert!(crate::broke_a_constraint(&message), "{message}");
    }
    let failing = db
        .execute("INSERT INTO nowhere (id) VALUES (1)", [])
        .unwrap_err()
        .to_string();
    assert!(!crate::broke_a_constraint(&failing), "{failing}");
    // As D1 words them (its message, then SQLite's code).
    assert!(crate::broke_a_constraint(
        "D1_ERROR: UNIQUE constraint failed: ledger_entry.source: SQLITE_CONSTRAINT"
    ));
    for passing in [
        "D1_ERROR: Network connection lost.",
        "D1 DB is overloaded. Requests queued for too long.",
    ] {
        assert!(!crate::broke_a_constraint(passing), "{passing}");
    }
}

#[test]
fn a_donor_is_who_the_domain_says_for_every_state_and_age_of_a_gift() {
    use domain::donation::{DonationStatus, donors_since};
    let now = 400 * 24 * 3600;
    let since = donors_since(now);
    for status in DonationStatus::ALL {
        for confirmed_at in [None, Some(since - 1), Some(since), Some(now)] {
            let db = db();
            donate(&db, "d1", "p1", 500, "monthly");
            db.execute(
                "UPDATE donation SET status = ?1, confirmed_at = ?2",
                params![status.as_str(), confirmed_at],
            )
            .unwrap();
            let decided = status.makes_donor(confirmed_at, now);
            let found = query(&db, &donations::is_donor("p1", since)).unwrap();
            assert_eq!(
                Count::any(&found),
                decided,
                "{status:?} at {confirmed_at:?}"
            );
            let (donors, _, _) = summary(&db, since);
            assert_eq!(
                donors == 1,
                decided,
                "summary: {status:?} at {confirmed_at:?}"
            );
        }
    }
}
