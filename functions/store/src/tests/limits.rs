use crate::limits::*;
use crate::native::{execute, query};
use crate::testdb;
use rusqlite::Connection;

fn bump(db: &Connection, key: &str, window: i64) -> (i64, i64) {
    let counter = domain::limits::Counter {
        key: key.into(),
        window_start: window,
    };
    let counted = query(db, &crate::limits::bump(&counter)).unwrap().remove(0);
    (counted.count, counted.window_start)
}

#[test]
fn counts_within_a_window_and_restarts_in_the_next() {
    let db = testdb::fresh();
    assert_eq!(bump(&db, "k", 900), (1, 900));
    assert_eq!(bump(&db, "k", 900), (2, 900));
    assert_eq!(bump(&db, "other", 900), (1, 900));
    assert_eq!(bump(&db, "k", 1_800), (1, 1_800));
    assert_eq!(bump(&db, "k", 1_800), (2, 1_800));
}

#[test]
fn forgets_and_purges_counters() {
    let db = testdb::fresh();
    bump(&db, "old", 0);
    bump(&db, "new", 900);
    bump(&db, "gone", 900);
    execute(&db, &forget("gone")).unwrap();
    execute(&db, &purge(900)).unwrap();
    let keys: Vec<String> = db
        .prepare("SELECT key FROM rate_limit ORDER BY key")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(keys, ["new"]);
}
