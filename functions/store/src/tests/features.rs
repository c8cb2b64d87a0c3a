//! Features, pledges and saved cards against SQLite: one funding transition, one charge claim,
//! pledges counted only when committed, keys that make a retried pledge one pledge.

use crate::features::*;
use crate::native::rows;
use crate::search::Arg;
use crate::testdb;
use domain::feature::FeatureRow;
use domain::pledge::PledgeRow;
use rusqlite::{Connection, OptionalExtension, params};

const NOW: i64 = 1_000_000;
const DEADLINE: i64 = NOW + 86_400;

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES \
         ('u1', 'a@b.fr', 0, 0), ('u2', 'c@d.fr', 0, 0), ('u3', 'e@f.fr', 0, 0);",
    )
    .unwrap();
    db.execute(
        INSERT_FEATURE,
        params!["f1", "Export iCal", "", 260_000, "EUR", DEADLINE, "u1", NOW],
    )
    .unwrap();
    db.execute(INSERT_HISTORY, params!["f1", NOW]).unwrap();
    db
}

fn save_card(db: &Connection, person: &str) {
    let card = format!("pm_{person}");
    db.execute(
        SAVE_METHOD,
        params![person, "stripe", format!("cus_{person}"), card, NOW],
    )
    .unwrap();
}

fn pledge(db: &Connection, id: &str, person: &str, cents: i64, key: Option<&str>) -> usize {
    db.execute(
        INSERT_PLEDGE,
        params![id, "f1", person, cents, "EUR", key, None::<String>, NOW],
    )
    .unwrap()
}

fn feature(db: &Connection) -> FeatureRow {
    rows(db, FEATURE_BY_ID, &[Arg::Text("f1".into())])
        .unwrap()
        .remove(0)
}

fn status(db: &Connection, pledge: &str) -> String {
    db.query_row("SELECT status FROM pledge WHERE id = ?1", [pledge], |r| {
        r.get(0)
    })
    .unwrap()
}

fn claim(db: &Connection, pledge: &str, now: i64) -> bool {
    db.query_row(CLAIM, params![pledge, now], |r| r.get::<_, String>(0))
        .optional()
        .unwrap()
        .is_some()
}

#[test]
fn only_committed_pledges_count_and_a_saved_card_commits_them() {
    let db = db();
    assert_eq!(pledge(&db, "p1", "u2", 100_000, None), 1);
    assert_eq!(status(&db, "p1"), "pending", "no card saved yet");
    assert_eq!(feature(&db).pledged_cents, 0);
    save_card(&db, "u3");
    pledge(&db, "p2", "u3", 60_000, None);
    assert_eq!(
        status(&db, "p2"),
        "committed",
        "a saved card commits at once"
    );
    save_card(&db, "u2");
    let features: Vec<(String,)> = db
        .prepare(FEATURES_OF_PENDING)
        .unwrap()
        .query_map(["u2"], |r| Ok((r.get(0)?,)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(features, [("f1".to_string(),)]);
    assert_eq!(db.execute(COMMIT_PENDING, params!["u2", NOW]).unwrap(), 1);
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
    let kept: Vec<PledgeRow> = rows(
        &db,
        PLEDGE_BY_KEY,
        &[Arg::Text("u2".into()), Arg::Text("k1".into())],
    )
    .unwrap();
    assert_eq!(kept[0].id, "p1");
    db.execute(EXPIRE, params!["f1", DEADLINE]).unwrap();
    assert_eq!(pledge(&db, "p3", "u3", 500, None), 0, "expired: no pledge");
}

#[test]
fn the_goal_is_reached_once_even_when_asked_twice() {
    let db = db();
    save_card(&db, "u2");
    save_card(&db, "u3");
    pledge(&db, "p1", "u2", 130_000, None);
    assert_eq!(
        db.execute(REACH_GOAL, params!["f1", NOW]).unwrap(),
        0,
        "half way"
    );
    pledge(&db, "p2", "u3", 130_000, None);
    // Two requests that both crossed the goal each try the transition and record it.
    let mut changed = 0;
    for _ in 0..2 {
        changed += db.execute(REACH_GOAL, params!["f1", NOW]).unwrap();
        db.execute(INSERT_HISTORY, params!["f1", NOW]).unwrap();
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
        db.execute(WITHDRAW, params!["p1", NOW]).unwrap(),
        0,
        "no withdrawal once funded"
    );
}

#[test]
fn a_goal_is_not_reached_after_the_deadline_and_features_read_expired() {
    let db = db();
    save_card(&db, "u2");
    pledge(&db, "p1", "u2", 260_000, None);
    assert_eq!(db.execute(REACH_GOAL, params!["f1", DEADLINE]).unwrap(), 0);
    let expired: Vec<FeatureRow> = rows(
        &db,
        FEATURES,
        &[Arg::Text("expired".into()), Arg::Int(DEADLINE)],
    )
    .unwrap();
    assert_eq!(
        expired.len(),
        1,
        "the clock decides before the scheduled run"
    );
    let due: Vec<(String,)> = db
        .prepare(DUE_TO_EXPIRE)
        .unwrap()
        .query_map(params![DEADLINE, 10], |r| Ok((r.get(0)?,)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(due.len(), 1);
    assert_eq!(db.execute(EXPIRE, params!["f1", DEADLINE]).unwrap(), 1);
    let release: Vec<PledgeRow> = rows(&db, TO_RELEASE, &[Arg::Int(10)]).unwrap();
    assert_eq!(release.len(), 1);
    db.execute(RELEASE, params!["p1", DEADLINE]).unwrap();
    assert_eq!(status(&db, "p1"), "released");
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
    db.execute(REACH_GOAL, params!["f1", NOW]).unwrap();
    let due: Vec<PledgeRow> =
        rows(&db, TO_CHARGE, &[Arg::Text("f1".into()), Arg::Int(NOW)]).unwrap();
    assert_eq!(due.len(), 1);
    assert!(claim(&db, "p1", NOW));
    assert!(!claim(&db, "p1", NOW + 1), "a second run finds it taken");
    assert!(
        claim(&db, "p1", NOW + 600),
        "left charging ten minutes: taken again"
    );
    db.execute(
        CHARGE_FAILED,
        params!["p1", "card_declined", NOW + 3600, NOW + 600],
    )
    .unwrap();
    assert_eq!(status(&db, "p1"), "charge_failed");
    assert!(!claim(&db, "p1", NOW + 601), "not before the next attempt");
    let due: Vec<PledgeRow> =
        rows(&db, DUE_CHARGES, &[Arg::Int(NOW + 3600), Arg::Int(10)]).unwrap();
    assert_eq!((due.len(), due[0].attempts), (1, 1));
    assert!(claim(&db, "p1", NOW + 3600));
    db.execute(CHARGED, params!["p1", "pi_1", NOW + 3601])
        .unwrap();
    assert_eq!(status(&db, "p1"), "charged");
    assert!(!claim(&db, "p1", NOW + 99_999), "charged once");
    assert_eq!(db.execute(REFUNDED, params!["p1", NOW]).unwrap(), 1);
    assert_eq!(
        feature(&db).pledged_cents,
        0,
        "a refunded pledge no longer counts"
    );
}

#[test]
fn a_steer_applies_only_to_the_status_it_was_read_with() {
    let db = db();
    let steer = |to: &str, read: &str| {
        let args = [
            Arg::Text("f1".into()),
            Arg::Text(to.into()),
            Arg::Null,
            Arg::Int(NOW),
            Arg::Text(read.into()),
        ];
        crate::native::objects(&db, STEER, &args).unwrap().len()
    };
    assert_eq!(steer("declined", "funded"), 0);
    assert_eq!(steer("declined", "funding"), 1);
    db.execute(INSERT_HISTORY, params!["f1", NOW + 1]).unwrap();
    let history: Vec<(String, i64)> = db
        .prepare(HISTORY)
        .unwrap()
        .query_map(["f1"], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        history,
        [
            ("funding".to_string(), NOW),
            ("declined".to_string(), NOW + 1)
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
                let written = db.execute(WITHDRAW, params!["p1", now]).unwrap() == 1;
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
        db.execute(REACH_GOAL, params!["f1", NOW]).unwrap();
        db.execute("UPDATE feature SET goal_cents = 1000", [])
            .unwrap();
        let funded = db.execute(REACH_GOAL, params!["f1", NOW]).unwrap() == 1;
        assert_eq!(funded, counted, "the goal reached by {status:?}");
    }
}
