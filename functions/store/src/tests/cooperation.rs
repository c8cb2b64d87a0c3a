//! The cooperative space against SQLite: one counted ballot per person by the keys, secret
//! ballots stored apart from who took part, amendments folded into versions, closing once.

use crate::cooperation::*;
use crate::testdb;
use rusqlite::{Connection, params};

const NOW: i64 = 1_000_000;

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES \
         ('u1', 'a@b.fr', 0, 0), ('u2', 'c@d.fr', 0, 0), ('u3', 'e@f.fr', 0, 0);",
    )
    .unwrap();
    for (id, secret) in [("open", 0), ("secret", 1)] {
        db.execute(
            INSERT_PROPOSAL,
            params![
                id,
                "instance",
                "Ouvrir le samedi",
                "Texte v1",
                "[]",
                "motion",
                "[]",
                None::<i64>,
                50,
                0,
                "verified",
                secret,
                1,
                NOW + 10,
                NOW + 100,
                "u1",
                None::<String>,
                NOW,
                NOW + 10
            ],
        )
        .unwrap();
        db.execute(INSERT_VERSION, params![id, None::<String>, NOW])
            .unwrap();
    }
    db
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// How many rows a statement that returns what it changed gave back.
fn changed(db: &Connection, sql: &str, params: impl rusqlite::Params) -> usize {
    db.prepare(sql)
        .unwrap()
        .query_map(params, |_| Ok(()))
        .unwrap()
        .count()
}

#[test]
fn one_open_ballot_per_person_whatever_arrives() {
    let db = db();
    assert!(
        db.execute(
            CAST_BALLOT,
            params!["open", "u2", r#"{"choice":"for"}"#, NOW, "hash-1"]
        )
        .is_ok()
    );
    for _ in 0..100 {
        assert!(
            db.execute(
                CAST_BALLOT,
                params!["open", "u2", r#"{"choice":"against"}"#, NOW, "hash-2"]
            )
            .is_err()
        );
    }
    assert_eq!(count(&db, "SELECT count(*) FROM ballot"), 1);
    db.execute(
        REPLACE_BALLOT,
        params!["open", "u2", r#"{"choice":"blank"}"#, NOW + 1, "hash-3"],
    )
    .unwrap();
    // Its receipt is the latest one; the replaced one no longer counts.
    let counted = |hash: &str| -> bool {
        db.query_row(COUNTED_BY_RECEIPT, params![hash, "open"], |r| r.get(0))
            .unwrap()
    };
    assert!(counted("hash-3") && !counted("hash-1") && !counted("hash-2"));
    let content: String = db
        .query_row(BALLOT_OF, params!["open", "u2"], |r| r.get(0))
        .unwrap();
    assert_eq!(content, r#"{"choice":"blank"}"#);
    let took_part: bool = db
        .query_row(TOOK_PART, params!["open", "u2"], |r| r.get(0))
        .unwrap();
    assert!(took_part);
}

#[test]
fn a_secret_ballot_leaves_nothing_that_links_a_person_to_a_choice() {
    let db = db();
    let cast = |person: &str, receipt: &str, choice: &str| {
        let tx = db.unchecked_transaction().unwrap();
        let ok = tx
            .execute(CAST_PARTICIPATION, params!["secret", person])
            .is_ok()
            && tx
                .execute(CAST_SECRET, params![receipt, "secret", choice])
                .is_ok();
        if ok {
            tx.commit().unwrap();
        }
        ok
    };
    assert!(cast("u2", "hash-b", r#"{"choice":"for"}"#));
    assert!(cast("u3", "hash-a", r#"{"choice":"against"}"#));
    assert!(
        !cast("u2", "hash-c", r#"{"choice":"against"}"#),
        "a second time is refused whole"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM secret_ballot"), 2);
    // The ballots' table has no person, no time, and no rowid to tell the order of arrival.
    let columns: Vec<String> = db
        .prepare("SELECT name FROM pragma_table_info('secret_ballot')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(columns, ["receipt_hash", "proposal_id", "content"]);
    assert!(
        db.query_row("SELECT rowid FROM secret_ballot", [], |_| Ok(()))
            .is_err()
    );
    let participation: Vec<String> = db
        .prepare("SELECT name FROM pragma_table_info('participation')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(participation, ["proposal_id", "person_id"]);
    // Stored in receipt order, not arrival order.
    let order: Vec<String> = db
        .prepare("SELECT receipt_hash FROM secret_ballot")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(order, ["hash-a", "hash-b"]);
    // The receipt finds and replaces its ballot; another proposal's receipt does not.
    assert_eq!(
        changed(
            &db,
            REPLACE_SECRET,
            params!["hash-b", "secret", r#"{"choice":"blank"}"#]
        ),
        1
    );
    assert_eq!(
        changed(
            &db,
            REPLACE_SECRET,
            params!["hash-b", "open", r#"{"choice":"for"}"#]
        ),
        0
    );
    let contents: Vec<String> = db
        .prepare(CONTENTS)
        .unwrap()
        .query_map(["secret"], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(contents.len(), 2);
    assert!(contents.contains(&r#"{"choice":"blank"}"#.to_string()));
    let counted = |hash: &str, proposal: &str| -> bool {
        db.query_row(COUNTED_BY_RECEIPT, params![hash, proposal], |r| r.get(0))
            .unwrap()
    };
    assert!(counted("hash-a", "secret") && !counted("hash-a", "open"));
    assert!(!counted("hash-z", "secret"));
}

#[test]
fn a_proposal_without_vote_from_opens_when_amendments_close() {
    let db = db();
    db.execute("UPDATE proposal SET vote_from = NULL", [])
        .unwrap();
    let from: i64 = db
        .query_row(PROPOSAL_BY_ID, ["open"], |r| r.get("vote_from"))
        .unwrap();
    assert_eq!(from, NOW + 10);
    db.execute("UPDATE proposal SET amend_until = NULL", [])
        .unwrap();
    let from: i64 = db
        .query_row(PROPOSAL_BY_ID, ["open"], |r| r.get("vote_from"))
        .unwrap();
    assert_eq!(from, NOW, "or at once");
}

#[test]
fn an_adopted_amendment_becomes_the_text_and_a_version() {
    let db = db();
    db.execute(
        INSERT_AMENDMENT,
        params!["a1", "open", "u2", "Texte v2", "plus clair", NOW],
    )
    .unwrap();
    db.execute(VOTE_AMENDMENT, params!["a1", "u2", "for"])
        .unwrap();
    db.execute(VOTE_AMENDMENT, params!["a1", "u3", "blank"])
        .unwrap();
    assert!(
        db.execute(VOTE_AMENDMENT, params!["a1", "u2", "against"])
            .is_err()
    );
    let (for_, blank): (i64, i64) = db
        .query_row(AMENDMENTS_OF, ["open"], |r| {
            Ok((r.get("in_favour")?, r.get("blank")?))
        })
        .unwrap();
    assert_eq!((for_, blank), (1, 1));
    assert_eq!(
        db.execute(FOLD_AMENDMENT, params!["open", "a1"]).unwrap(),
        0,
        "not adopted yet"
    );
    db.execute(DECIDE_AMENDMENT, params!["a1", "adopted", NOW + 10])
        .unwrap();
    assert_eq!(
        db.execute(DECIDE_AMENDMENT, params!["a1", "refused", NOW + 11])
            .unwrap(),
        0
    );
    db.execute(FOLD_AMENDMENT, params!["open", "a1"]).unwrap();
    db.execute(INSERT_VERSION, params!["open", "a1", NOW + 10])
        .unwrap();
    let versions: Vec<(i64, String)> = db
        .prepare(VERSIONS)
        .unwrap()
        .query_map(["open"], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(versions, [(1, "Texte v1".into()), (2, "Texte v2".into())]);
}

#[test]
fn a_proposal_closes_once_and_only_after_its_vote() {
    let db = db();
    assert_eq!(
        changed(&db, CLOSE, params!["open", "{}", NOW + 99]),
        0,
        "still voting"
    );
    let due = |now: i64| -> i64 {
        db.prepare(DUE_TO_CLOSE)
            .unwrap()
            .query_map(params![now, 10], |_| Ok(()))
            .unwrap()
            .count() as i64
    };
    assert_eq!(due(NOW + 100), 2);
    assert_eq!(
        changed(
            &db,
            CLOSE,
            params!["open", r#"{"outcome":"adopted"}"#, NOW + 100]
        ),
        1
    );
    assert_eq!(
        changed(
            &db,
            CLOSE,
            params!["open", r#"{"outcome":"refused"}"#, NOW + 101]
        ),
        0
    );
    assert_eq!(due(NOW + 100), 1);
}

#[test]
fn eligibility_counts_members_donors_or_everyone() {
    let db = db();
    db.execute_batch(
        "INSERT INTO element (id, slug, kind, name, commune_code, departement, region, created_at, updated_at) \
         VALUES ('e1', 'e1', 'organization', 'Asso', '97415', '974', '04', 0, 0); \
         INSERT INTO link (element_id, person_id, kind, pending, created_at) VALUES \
         ('e1', 'u1', 'member', 0, 0), ('e1', 'u2', 'member', 0, 0), ('e1', 'u3', 'member', 1, 0), \
         ('e1', 'u3', 'follow', 0, 0);",
    )
    .unwrap();
    let eligible = |community: &str, rule: &str| -> i64 {
        db.query_row(
            ELIGIBLE,
            params![community, rule, 0, r#"["admin@b.fr"]"#],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(eligible("instance", "verified"), 3);
    assert_eq!(eligible("instance", "donors"), 0);
    db.execute(
        "INSERT INTO donation (id, person_id, amount_cents, currency, recurring, status, provider, created_at, confirmed_at) \
         VALUES ('d1', 'u2', 500, 'EUR', 'monthly', 'active', 'development', 0, 0)",
        [],
    )
    .unwrap();
    assert_eq!(eligible("instance", "donors"), 1);
    db.execute("UPDATE person SET email = 'admin@b.fr' WHERE id = 'u3'", [])
        .unwrap();
    assert_eq!(
        eligible("instance", "donors"),
        2,
        "the instance's admins vote with its donors"
    );
    assert_eq!(
        eligible("e1", "members"),
        2,
        "approved members only, not followers"
    );
}

#[test]
fn one_moderation_motion_per_post_and_one_report_per_person() {
    let db = db();
    db.execute(
        "INSERT INTO post (id, author_id, zone_id, text, created_at) VALUES ('post1', 'u1', 'z', 'x', 0)",
        [],
    )
    .unwrap();
    for person in ["u2", "u3", "u2"] {
        db.execute(REPORT_POST, params!["post1", person, NOW])
            .unwrap();
    }
    assert_eq!(count(&db, "SELECT count(*) FROM post_report"), 2);
    let motion = |id: &str| {
        db.execute(
            INSERT_PROPOSAL,
            params![
                id,
                "instance",
                "Masquer ?",
                "",
                "[]",
                "motion",
                "[]",
                None::<i64>,
                75,
                0,
                "verified",
                1,
                0,
                None::<i64>,
                NOW + 100,
                None::<String>,
                "post1",
                NOW,
                NOW
            ],
        )
    };
    assert!(motion("m1").is_ok());
    assert!(
        motion("m2").is_err(),
        "a second motion about the same post is refused"
    );
    assert_eq!(db.execute(HIDE_POST, params!["post1", NOW]).unwrap(), 1);
    assert_eq!(db.execute(HIDE_POST, params!["post1", NOW + 1]).unwrap(), 0);
}

#[test]
fn a_person_s_open_votes_are_the_instance_s_and_those_of_elements_they_belong_to() {
    let db = db();
    db.execute_batch(
        "INSERT INTO element (id, slug, kind, name, commune_code, departement, region, created_at, updated_at) \
         VALUES ('e1', 'e1', 'organization', 'Asso', '97415', '974', '04', 0, 0), \
                ('e2', 'e2', 'organization', 'Autre', '97415', '974', '04', 0, 0); \
         INSERT INTO link (element_id, person_id, kind, pending, created_at) VALUES \
         ('e1', 'u2', 'member', 0, 0), ('e2', 'u2', 'member', 1, 0), ('e2', 'u2', 'follow', 0, 0);",
    )
    .unwrap();
    for (id, community) in [("in_e1", "e1"), ("in_e2", "e2")] {
        db.execute(
            "INSERT INTO proposal (id, community, title, body, tags, method, options, majority, quorum, \
             eligibility, secret, changeable, vote_until, created_at) \
             VALUES (?1, ?2, 't', '', '[]', 'motion', '[]', 50, 0, 'members', 0, 0, ?3, 0)",
            params![id, community, NOW + 50],
        )
        .unwrap();
    }
    db.execute(
        "UPDATE proposal SET closed_at = ?1 WHERE id = 'secret'",
        params![NOW],
    )
    .unwrap();
    let open = |person: &str, now: i64| -> Vec<String> {
        let rows: Vec<domain::vote::view::ProposalRow> = crate::native::rows(
            &db,
            OPEN_FOR_PERSON,
            &[
                crate::search::Arg::Text(person.into()),
                crate::search::Arg::Int(now),
            ],
        )
        .unwrap();
        rows.into_iter().map(|r| r.id).collect()
    };
    assert_eq!(
        open("u2", NOW),
        ["in_e1", "open"],
        "a pending request or a follow is not membership; closed ones leave"
    );
    assert_eq!(open("u1", NOW), ["open"]);
    assert_eq!(open("u2", NOW + 60), ["open"], "past its vote");
}
