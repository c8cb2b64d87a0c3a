use crate::testdb;
use rusqlite::Connection;
use std::collections::HashMap;

fn tally(db: &Connection) -> HashMap<String, i64> {
    db.prepare(crate::stats::ALL)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn counters_follow_people_and_elements() {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES ('p1', 'a@b.fr', 0, 0), ('p2', 'c@d.fr', 0, 0); \
         INSERT INTO element (id, slug, kind, type, name, commune_code, created_at, updated_at) VALUES \
           ('e1', 'e1', 'organization', 'NGO', 'A', '97415', 0, 0), \
           ('e2', 'e2', 'organization', 'NGO', 'B', '97415', 0, 0), \
           ('e3', 'e3', 'project', NULL, 'C', '97415', 0, 0);",
    )
    .unwrap();
    let t = tally(&db);
    assert_eq!(
        (
            t["person"],
            t["kind:organization"],
            t["type:NGO"],
            t["kind:project"]
        ),
        (2, 2, 2, 1)
    );
    db.execute_batch(
        "UPDATE element SET type = 'LocalBusiness' WHERE id = 'e2'; DELETE FROM element WHERE id = 'e3'; \
         DELETE FROM person WHERE id = 'p2';",
    )
    .unwrap();
    let t = tally(&db);
    assert_eq!(
        (t["person"], t["type:NGO"], t["type:LocalBusiness"]),
        (1, 1, 1)
    );
    assert!(
        !t.contains_key("kind:project"),
        "zero counters are not listed"
    );
}
