//! Features, pledges and saved cards against SQLite: one funding transition, one charge claim,
//! pledges counted only when committed, keys that make a retried pledge one pledge.

use crate::db::Statement;
use crate::features::*;
use crate::native::{execute, query};
use crate::testdb;
use domain::feature::{FeatureRequest, FeatureRow};
use domain::funding::{FeatureStatus, PledgeStatus};
use rusqlite::Connection;

const NOW: i64 = 1_000_000;
const DEADLINE: i64 = NOW + 86_400;

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES \
         ('u1', 'a@b.fr', 0, 0), ('u2', 'c@d.fr', 0, 0), ('u3', 'e@f.fr', 0, 0);",
    )
    .unwrap();
    let asked = FeatureRequest {
        title: "Export iCal".into(),
        description: String::new(),
        goal_cents: 260_000,
        currency: "EUR".into(),
        deadline: DEADLINE,
    };
    execute(&db, &feature::insert("f1", &asked, "u1", NOW)).unwrap();
    execute(&db, &feature::note_history("f1", NOW)).unwrap();
    let read = self::feature(&db);
    assert_eq!(
        (
            read.title.as_str(),
            read.goal_cents,
            read.deadline,
            read.status
        ),
        ("Export iCal", 260_000, DEADLINE, FeatureStatus::Funding),
        "a feature reads back as it was written"
    );
    db
}

fn save_card(db: &Connection, person: &str) {
    let (customer, card) = (format!("cus_{person}"), format!("pm_{person}"));
    let saved = pledge::save_method(person, "stripe", &customer, Some(&card), NOW);
    execute(db, &saved).unwrap();
    let method = query(db, &pledge::method_of(person)).unwrap().remove(0);
    assert_eq!(
        (
            method.provider.as_str(),
            method.customer_ref,
            method.method_ref
        ),
        ("stripe", customer, Some(card))
    );
}

fn pledge(db: &Connection, id: &str, person: &str, cents: i64, key: Option<&str>) -> usize {
    let new = NewPledge {
        id,
        feature_id: "f1",
        person_id: person,
        amount_cents: cents,
        currency: "EUR",
        key,
        moved_from: None,
    };
    let inserted = execute(db, &pledge::insert(&new, NOW)).unwrap();
    if inserted == 1 {
        let read = query(db, &pledge::by_id(id)).unwrap().remove(0);
        assert_eq!(
            (
                read.feature_id.as_str(),
                read.person_id.as_deref(),
                read.amount_cents
            ),
            ("f1", Some(person), cents),
            "a pledge reads back as it was written"
        );
    }
    inserted
}

fn feature(db: &Connection) -> FeatureRow {
    query(db, &feature::by_id("f1")).unwrap().remove(0)
}

fn status(db: &Connection, id: &str) -> PledgeStatus {
    query(db, &pledge::by_id(id)).unwrap().remove(0).status
}

fn claim(db: &Connection, id: &str, now: i64) -> bool {
    let claimed = query(db, &pledge::claim(id, now)).unwrap();
    claimed.iter().all(|p| p.status == PledgeStatus::Charging) && !claimed.is_empty()
}

fn run(db: &Connection, statement: Statement) -> usize {
    execute(db, &statement).unwrap()
}

#[test]
fn only_committed_pledges_count_and_a_saved_card_commits_them() {
    let db = db();
    assert_eq!(pledge(&db, "p1", "u2", 100_000, None), 1);
    assert_eq!(
        status(&db, "p1"),
        PledgeStatus::Pending,
        "no card saved yet"
    );
    assert_eq!(feature(&db).pledged_cents, 0);
    save_card(&db, "u3");
    pledge(&db, "p2", "u3", 60_000, None);
    assert_eq!(
        status(&db, "p2"),
        PledgeStatus::Committed,
        "a saved card commits at once"
    );
    save_card(&db, "u2");
    let features = query(&db, &pledge::features_of_pending("u2")).unwrap();
    assert_eq!(features, [Id { id: "f1".into() }]);
    assert_eq!(run(&db, pledge::commit_pending("u2", NOW)), 1);
    let row = feature(&db);
    assert_eq!((row.pledged_cents, row.backers), (160_000, 2));
}

#[test]
fn the_same_key_twice_makes_one_pledge_and_nothing_is_pledged_once_funding_ends() {
    let db = db();
    assert_eq!(pledge(&db, "p1", "u2", 500, Some("k1")), 1);
    assert_eq!(
        pledge(&db, "p9", "u2", 500, Some("k1")),
        0,
        "same person, same key"
    );
    assert_eq!(
        pledge(&db, "p2", "u3", 500, Some("k1")),
        1,
        "keys are per person"
    );
    let kept = query(&db, &pledge::by_key("u2", "k1")).unwrap();
    assert_eq!(kept[0].id, "p1");
    run(&db, feature::expire("f1", DEADLINE));
    assert_eq!(pledge(&db, "p3", "u3", 500, None), 0, "expired: no pledge");
}

#[test]
fn the_goal_is_reached_once_even_when_asked_twice() {
    let db = db();
    save_card(&db, "u2");
    save_card(&db, "u3");
    pledge(&db, "p1", "u2", 130_000, None);
    assert_eq!(run(&db, feature::reach_goal("f1", NOW)), 0, "half way");
    pledge(&db, "p2", "u3", 130_000, None);
    // Two requests that both crossed the goal each try the transition and record it.
    let mut changed = 0;
    for _ in 0..2 {
        changed += run(&db, feature::reach_goal("f1", NOW));
        run(&db, feature::note_history("f1", NOW));
    }
    assert_eq!(changed, 1);
    let funded: i64 = db
        .query_row(
            "SELECT count(*) FROM feature_history WHERE feature_id = 'f1' AND status = 'funded'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(funded, 1);
    assert_eq!(feature(&db).status, domain::funding::FeatureStatus::Funded);
    assert_eq!(
        run(&db, pledge::withdraw("p1", NOW)),
        0,
        "no withdrawal once funded"
    );
}

#[test]
fn a_goal_is_not_reached_after_the_deadline_and_features_read_expired() {
    let db = db();
    save_card(&db, "u2");
    pledge(&db, "p1", "u2", 260_000, None);
    assert_eq!(run(&db, feature::reach_goal("f1", DEADLINE)), 0);
    let expired = query(
        &db,
        &feature::listed(Some(FeatureStatus::Expired), DEADLINE),
    )
    .unwrap();
    assert_eq!(
        expired.len(),
        1,
        "the clock decides before the scheduled run"
    );
    let due = query(&db, &feature::due_to_expire(DEADLINE, 10)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(run(&db, feature::expire("f1", DEADLINE)), 1);
    let release = query(&db, &pledge::to_release(10)).unwrap();
    assert_eq!(release.len(), 1);
    run(&db, pledge::release("p1", DEADLINE));
    assert_eq!(status(&db, "p1"), PledgeStatus::Released);
    assert!(
        !claim(&db, "p1", DEADLINE),
        "an expired feature charges nothing"
    );
}

#[test]
fn a_pledge_is_claimed_by_one_run_and_reclaimed_only_when_left_midway() {
    let db = db();
    save_card(&db, "u2");
    pledge(&db, "p1", "u2", 260_000, None);
    assert!(!claim(&db, "p1", NOW), "not funded: nothing to charge");
    run(&db, feature::reach_goal("f1", NOW));
    let due = query(&db, &pledge::to_charge("f1", NOW)).unwrap();
    assert_eq!(due.len(), 1);
    assert!(claim(&db, "p1", NOW));
    assert!(!claim(&db, "p1", NOW + 1), "a second run finds it taken");
    assert!(
        claim(&db, "p1", NOW + 600),
        "left charging ten minutes: taken again"
    );
    run(
        &db,
        pledge::charge_failed("p1", "card_declined", Some(NOW + 3600), NOW + 600),
    );
    assert_eq!(status(&db, "p1"), PledgeStatus::ChargeFailed);
    assert!(!claim(&db, "p1", NOW + 601), "not before the next attempt");
    let due = query(&db, &pledge::due_charges(NOW + 3600, 10)).unwrap();
    assert_eq!((due.len(), due[0].attempts), (1, 1));
    assert!(claim(&db, "p1", NOW + 3600));
    run(&db, pledge::charged("p1", "pi_1", NOW + 3601));
    assert_eq!(status(&db, "p1"), PledgeStatus::Charged);
    assert!(!claim(&db, "p1", NOW + 99_999), "charged once");
    assert_eq!(run(&db, pledge::refunded("p1", NOW)), 1);
    assert_eq!(
        feature(&db).pledged_cents,
        0,
        "a refunded pledge no longer counts"
    );
}

#[test]
fn a_steer_applies_only_to_the_status_it_was_read_with() {
    let db = db();
    let steer = |to: FeatureStatus, read: FeatureStatus| {
        let mut row = feature(&db);
        row.status = read;
        query(&db, &feature::steer(&row, to, None, NOW))
            .unwrap()
            .len()
    };
    assert_eq!(steer(FeatureStatus::Declined, FeatureStatus::Funded), 0);
    assert_eq!(steer(FeatureStatus::Declined, FeatureStatus::Funding), 1);
    run(&db, feature::note_history("f1", NOW + 1));
    let history = query(&db, &feature::history("f1")).unwrap();
    assert_eq!(
        history,
        [
            Reached {
                status: FeatureStatus::Funding,
                at: NOW
            },
            Reached {
                status: FeatureStatus::Declined,
                at: NOW + 1
            }
        ]
    );
}

#[test]
fn withdraw_writes_what_the_domain_decides_for_every_pledge_and_feature_status() {
    use domain::funding::{FeatureStatus, PledgeStatus, withdraw};
    for feature in FeatureStatus::ALL {
        for pledge_status in PledgeStatus::ALL {
            for now in [DEADLINE - 1, DEADLINE] {
                let db = db();
                pledge(&db, "p1", "u2", 1_000, None);
                db.execute_batch(&format!(
                    "UPDATE feature SET status = '{}'; UPDATE pledge SET status = '{}';",
                    feature.as_str(),
                    pledge_status.as_str()
                ))
                .unwrap();
                let written = run(&db, pledge::withdraw("p1", now)) == 1;
                let decided = withdraw(pledge_status, feature, DEADLINE, now).is_ok();
                assert_eq!(
                    written,
                    decided,
                    "{pledge_status:?} on {feature:?} at {}",
                    now - DEADLINE
                );
            }
        }
    }
}

#[test]
fn a_feature_sums_the_pledges_the_domain_counts_for_every_status() {
    use domain::funding::PledgeStatus;
    for status in PledgeStatus::ALL {
        let db = db();
        pledge(&db, "p1", "u2", 1_000, None);
        db.execute("UPDATE pledge SET status = ?1", [status.as_str()])
            .unwrap();
        let read = feature(&db);
        let counted = status.counts();
        assert_eq!(
            read.pledged_cents,
            if counted { 1_000 } else { 0 },
            "{status:?}"
        );
        assert_eq!(read.backers, i64::from(counted), "{status:?}");
        run(&db, feature::reach_goal("f1", NOW));
        db.execute("UPDATE feature SET goal_cents = 1000", [])
            .unwrap();
        let funded = run(&db, feature::reach_goal("f1", NOW)) == 1;
        assert_eq!(funded, counted, "the goal reached by {status:?}");
    }
}
