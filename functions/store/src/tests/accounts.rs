use crate::accounts::*;
use crate::db::Statement;
use crate::native::{execute, query};
use crate::testdb;
use domain::account::SessionTimes;
use rusqlite::Connection;

fn run(db: &Connection, statement: Statement) -> usize {
    execute(db, &statement).unwrap()
}

fn sign_in(db: &Connection, token: &str, code: &str, email: &str, now: i64) {
    run(
        db,
        people::create_sign_in(token, code, email, now, now + 900),
    );
}

fn use_token(db: &Connection, token: &str, now: i64) -> Option<String> {
    let used = query(db, &people::use_token(token, now)).unwrap();
    used.into_iter().next().map(|r| r.email)
}

fn use_code(db: &Connection, email: &str, code: &str, now: i64) -> Option<String> {
    let used = query(db, &people::use_code(email, code, 5, now)).unwrap();
    used.into_iter().next().map(|r| r.email)
}

const TIMES: SessionTimes = SessionTimes {
    expires_at: 1_000,
    absolute_expires_at: 2_000,
    refreshed_at: 100,
};

fn sign_up(db: &Connection, id: &str, email: &str, session: &str) {
    run(db, people::insert_person(id, email, 100));
    assert_eq!(
        run(db, people::insert_session(session, email, TIMES, 100)),
        1
    );
}

fn session(db: &Connection, hash: &str) -> Option<SessionRow> {
    query(db, &people::by_session(hash))
        .unwrap()
        .into_iter()
        .next()
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
        run(&db, people::fail_code("c@b.fr", 200));
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
    let found = session(&db, "s2").unwrap();
    assert_eq!(
        (
            found.person.id.as_str(),
            found.person.email.as_str(),
            found.expires_at,
            found.absolute_expires_at,
            found.refreshed_at
        ),
        ("p1", "a@b.fr", 1_000, 2_000, 100),
        "a session reads back as it was written"
    );
    let by_email = query(&db, &people::by_email("a@b.fr")).unwrap();
    assert_eq!(by_email[0].id, "p1");
    let email = query(&db, &people::email_of("p1")).unwrap();
    assert_eq!(email[0].email, "a@b.fr");
}

#[test]
fn sessions_slide_and_end() {
    let db = testdb::fresh();
    sign_up(&db, "p1", "a@b.fr", "s1");
    let slid = SessionTimes {
        refreshed_at: 500,
        expires_at: 1_500,
        ..TIMES
    };
    run(&db, people::refresh_session("s1", slid));
    let found = session(&db, "s1").unwrap();
    assert_eq!(
        (
            found.refreshed_at,
            found.expires_at,
            found.absolute_expires_at
        ),
        (500, 1_500, 2_000)
    );
    run(&db, people::delete_session("s1"));
    assert!(session(&db, "s1").is_none());
}

#[test]
fn profile_updates_and_export_queries_read_back() {
    let db = testdb::fresh();
    sign_up(&db, "p1", "a@b.fr", "s1");
    sign_in(&db, "t1", "c1", "a@b.fr", 100);
    let profile = domain::profile::Profile {
        display_name: Some("Camille".into()),
        home_scope: Some("commune:97415".into()),
        public_fields: vec!["display_name".into()],
    };
    run(&db, people::update_profile("p1", &profile, 300));
    let read = query(&db, &people::by_email("a@b.fr")).unwrap().remove(0);
    assert_eq!(
        (read.updated_at, domain::profile::Person::from(read).profile),
        (300, profile),
        "a profile reads back as it was written"
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
    let message = domain::mail::Message {
        to: "a@b.fr".into(),
        subject: "s".into(),
        body: "b".into(),
        unsubscribe: None,
    };
    run(&db, crate::outbox::insert(&message, "t1", "c1", 100));
    for step in people::erase("p1") {
        run(&db, step);
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
    for step in people::purge_expired(1_000) {
        run(&db, step);
    }
    assert_eq!(count(&db, "SELECT count(*) FROM session"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM sign_in"), 1);
}
