use crate::accounts::*;
use crate::testdb;
use rusqlite::{Connection, OptionalExtension, params};

fn sign_in(db: &Connection, token: &str, code: &str, email: &str, now: i64) {
    db.execute(INSERT_SIGN_IN, params![token, code, email, now, now + 900])
        .unwrap();
}

fn use_token(db: &Connection, token: &str, now: i64) -> Option<String> {
    db.query_row(USE_SIGN_IN_TOKEN, params![now, token], |r| r.get(0))
        .optional()
        .unwrap()
}

fn use_code(db: &Connection, email: &str, code: &str, now: i64) -> Option<String> {
    db.query_row(USE_SIGN_IN_CODE, params![now, email, code, 5], |r| r.get(0))
        .optional()
        .unwrap()
}

fn sign_up(db: &Connection, id: &str, email: &str, session: &str) {
    db.execute(INSERT_PERSON, params![id, email, 100]).unwrap();
    let inserted = db
        .execute(INSERT_SESSION, params![session, email, 100, 1_000, 2_000])
        .unwrap();
    assert_eq!(inserted, 1);
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_link_works_once_and_not_after_it_expires() {
    let db = testdb::fresh();
    sign_in(&db, "t1", "c1", "a@b.fr", 100);
    assert_eq!(use_token(&db, "t1", 200).as_deref(), Some("a@b.fr"));
    assert_eq!(use_token(&db, "t1", 201), None, "second use");
    sign_in(&db, "t2", "c2", "a@b.fr", 100);
    assert_eq!(use_token(&db, "t2", 1_000), None, "expired at 1000");
    assert_eq!(use_token(&db, "unknown", 200), None);
}

#[test]
fn a_code_works_once_and_wrong_codes_burn_it() {
    let db = testdb::fresh();
    sign_in(&db, "t1", "right", "a@b.fr", 100);
    assert_eq!(use_code(&db, "b@b.fr", "right", 200), None, "other address");
    assert_eq!(
        use_code(&db, "a@b.fr", "right", 200).as_deref(),
        Some("a@b.fr")
    );
    assert_eq!(use_code(&db, "a@b.fr", "right", 201), None, "second use");

    sign_in(&db, "t2", "right", "c@b.fr", 100);
    for _ in 0..5 {
        assert_eq!(use_code(&db, "c@b.fr", "wrong", 200), None);
        db.execute(FAIL_SIGN_IN_CODE, params![200, "c@b.fr"])
            .unwrap();
    }
    assert_eq!(
        use_code(&db, "c@b.fr", "right", 200),
        None,
        "burnt after 5 wrong codes"
    );
}

#[test]
fn first_sign_in_creates_the_person_once_and_opens_a_session() {
    let db = testdb::fresh();
    sign_up(&db, "p1", "a@b.fr", "s1");
    sign_up(&db, "p-ignored", "a@b.fr", "s2");
    assert_eq!(count(&db, "SELECT count(*) FROM person"), 1);
    let (id, email, expires): (String, String, i64) = db
        .query_row(PERSON_BY_SESSION, ["s2"], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(7)?))
        })
        .unwrap();
    assert_eq!(
        (id.as_str(), email.as_str(), expires),
        ("p1", "a@b.fr", 1_000)
    );
    let by_email: String = db
        .query_row(PERSON_BY_EMAIL, ["a@b.fr"], |r| r.get(0))
        .unwrap();
    assert_eq!(by_email, "p1");
}

#[test]
fn sessions_slide_and_end() {
    let db = testdb::fresh();
    sign_up(&db, "p1", "a@b.fr", "s1");
    db.execute(REFRESH_SESSION, params!["s1", 500, 1_500])
        .unwrap();
    let (refreshed, expires): (i64, i64) = db
        .query_row(PERSON_BY_SESSION, ["s1"], |r| Ok((r.get(9)?, r.get(7)?)))
        .unwrap();
    assert_eq!((refreshed, expires), (500, 1_500));
    db.execute(DELETE_SESSION, ["s1"]).unwrap();
    assert!(
        db.query_row(PERSON_BY_SESSION, ["s1"], |_| Ok(()))
            .optional()
            .unwrap()
            .is_none()
    );
}

#[test]
fn profile_updates_and_export_queries_read_back() {
    let db = testdb::fresh();
    sign_up(&db, "p1", "a@b.fr", "s1");
    sign_in(&db, "t1", "c1", "a@b.fr", 100);
    db.execute(
        UPDATE_PROFILE,
        params!["p1", "Camille", "commune:97415", r#"["display_name"]"#, 300],
    )
    .unwrap();
    let (name, scope, fields, updated): (String, String, String, i64) = db
        .query_row(PERSON_BY_EMAIL, ["a@b.fr"], |r| {
            Ok((r.get(2)?, r.get(3)?, r.get(4)?, r.get(6)?))
        })
        .unwrap();
    assert_eq!(
        (name.as_str(), scope.as_str(), fields.as_str(), updated),
        ("Camille", "commune:97415", r#"["display_name"]"#, 300)
    );
    let sessions: i64 = db
        .query_row(
            &format!("SELECT count(*) FROM ({})", SESSIONS_OF_PERSON),
            ["p1"],
            |r| r.get(0),
        )
        .unwrap();
    let sign_ins: i64 = db
        .query_row(
            &format!("SELECT count(*) FROM ({})", SIGN_INS_OF_EMAIL),
            ["a@b.fr"],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!((sessions, sign_ins), (1, 1));
    let (created, used): (String, Option<String>) = db
        .query_row(SIGN_INS_OF_EMAIL, ["a@b.fr"], |r| {
            Ok((r.get(0)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((created.as_str(), used), ("1970-01-01T00:01:40Z", None));
}

#[test]
fn erasing_a_person_leaves_nothing_of_them_and_everything_of_others() {
    let db = testdb::fresh();
    sign_up(&db, "p1", "a@b.fr", "s1");
    sign_up(&db, "p2", "z@b.fr", "s2");
    sign_in(&db, "t1", "c1", "a@b.fr", 100);
    sign_in(&db, "t2", "c2", "z@b.fr", 100);
    db.execute(
        crate::outbox::INSERT,
        params!["a@b.fr", "s", "b", "t1", "c1", 100],
    )
    .unwrap();
    for sql in ERASE_PERSON {
        db.execute(sql, ["p1"]).unwrap();
    }
    assert_eq!(
        count(&db, "SELECT count(*) FROM person WHERE email = 'a@b.fr'"),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM session WHERE person_id = 'p1'"),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM sign_in WHERE email = 'a@b.fr'"),
        0
    );
    assert_eq!(count(&db, "SELECT count(*) FROM outbox"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM person"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM session"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM sign_in"), 1);
}

#[test]
fn the_clean_up_drops_only_what_has_expired() {
    let db = testdb::fresh();
    sign_up(&db, "p1", "a@b.fr", "s1"); // expires at 1000
    sign_in(&db, "t1", "c1", "a@b.fr", 100); // expires at 1000
    sign_in(&db, "t2", "c2", "a@b.fr", 900); // expires at 1800
    for sql in PURGE_EXPIRED {
        db.execute(sql, [1_000]).unwrap();
    }
    assert_eq!(count(&db, "SELECT count(*) FROM session"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM sign_in"), 1);
}
