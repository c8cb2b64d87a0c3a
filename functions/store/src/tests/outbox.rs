use crate::outbox::*;
use crate::testdb;
use rusqlite::params;

#[test]
fn lists_the_newest_first_and_by_address() {
    let db = testdb::fresh();
    for (to, subject) in [("a@b.fr", "un"), ("c@d.fr", "deux"), ("a@b.fr", "trois")] {
        db.execute(INSERT, params![to, subject, "corps", "tok", "code", 100])
            .unwrap();
    }
    let latest: Vec<String> = db
        .prepare(LATEST)
        .unwrap()
        .query_map([2], |r| r.get(2))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(latest, ["trois", "deux"]);
    let mine: Vec<String> = db
        .prepare(OF_EMAIL)
        .unwrap()
        .query_map(["a@b.fr"], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(mine, ["un", "trois"]);
}
