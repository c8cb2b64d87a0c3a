//! The cooperative space against SQLite: one counted ballot per person by the keys, secret
//! ballots stored apart from who took part, amendments folded into versions, closing once.

use crate::cooperation::*;
use crate::native::{execute, query};
use crate::testdb;
use domain::vote::detail::AmendmentStatus;
use domain::vote::method::Question;
use domain::vote::phase::ProposalSchedule;
use domain::vote::proposal::{Eligibility, ProposalRequest};
use domain::vote::rules::Rules;
use rusqlite::{Connection, params};

const NOW: i64 = 1_000_000;

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES \
         ('u1', 'a@b.fr', 0, 0), ('u2', 'c@d.fr', 0, 0), ('u3', 'e@f.fr', 0, 0);",
    )
    .unwrap();
    for (id, secret) in [("open", false), ("secret", true)] {
        let asked = ProposalRequest {
            community: "instance".into(),
            title: "Ouvrir le samedi".into(),
            body: "Texte v1".into(),
            tags: Vec::new(),
            question: Question::Motion,
            options: Vec::new(),
            budget_cents: None,
            rules: Rules::check(60, 10).unwrap(),
            eligibility: Eligibility::Verified,
            secret,
            changeable: true,
            schedule: ProposalSchedule {
                amend_until: Some(NOW + 10),
                vote_from: NOW + 20,
                vote_until: NOW + 100,
            },
        };
        execute(
            &db,
            &proposals::insert(
                id,
                &asked,
                Some("u1"),
                crate::cooperation::About::Nothing,
                NOW,
            ),
        )
        .unwrap();
        execute(&db, &proposals::insert_version(id, None, NOW)).unwrap();
        let read = query(&db, &proposals::by_id(id)).unwrap().remove(0);
        assert_eq!(
            (
                read.rules(),
                read.eligibility,
                read.secret,
                read.changeable,
                read.schedule(),
                read.question(),
                read.author_id.as_deref(),
                read.created_at,
            ),
            (
                asked.rules,
                asked.eligibility,
                secret,
                true,
                asked.schedule,
                asked.question.clone(),
                Some("u1"),
                NOW
            ),
            "a proposal reads back as it was written"
        );
    }
    db
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn one_open_ballot_per_person_whatever_arrives() {
    let db = db();
    let ballot = |content: &'static str, now: i64, receipt_hash: &'static str| OpenBallot {
        proposal: "open",
        person: "u2",
        content,
        receipt_hash,
        now,
    };
    let first = ballot(r#"{"choice":"for"}"#, NOW, "hash-1");
    assert!(execute(&db, &proposals::cast(&first)).is_ok());
    for _ in 0..100 {
        let again = ballot(r#"{"choice":"against"}"#, NOW, "hash-2");
        assert!(execute(&db, &proposals::cast(&again)).is_err());
    }
    assert_eq!(count(&db, "SELECT count(*) FROM ballot"), 1);
    let replaced = ballot(r#"{"choice":"blank"}"#, NOW + 1, "hash-3");
    execute(&db, &proposals::replace(&replaced)).unwrap();
    // Its receipt is the latest one; the replaced one no longer counts.
    let counted = |hash: &str| -> bool {
        Count::any(&query(&db, &proposals::counted("open", hash)).unwrap())
    };
    assert!(counted("hash-3") && !counted("hash-1") && !counted("hash-2"));
    let contents = query(&db, &proposals::contents("open")).unwrap();
    assert_eq!(
        contents
            .iter()
            .map(|c| c.content.as_str())
            .collect::<Vec<_>>(),
        [r#"{"choice":"blank"}"#],
        "the replaced ballot's content"
    );
    assert!(Count::any(
        &query(&db, &proposals::took_part("open", "u2")).unwrap()
    ));
    assert!(!Count::any(
        &query(&db, &proposals::took_part("open", "u3")).unwrap()
    ));
}

#[test]
fn a_secret_ballot_leaves_nothing_that_links_a_person_to_a_choice() {
    let db = db();
    let cast = |person: &str, receipt: &str, choice: &str| {
        let tx = db.unchecked_transaction().unwrap();
        let ok = execute(&tx, &proposals::participate("secret", person)).is_ok()
            && execute(&tx, &proposals::cast_secret(receipt, "secret", choice)).is_ok();
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
        query(
            &db,
            &proposals::replace_secret("hash-b", "secret", r#"{"choice":"blank"}"#)
        )
        .unwrap()
        .len(),
        1
    );
    assert_eq!(
        query(
            &db,
            &proposals::replace_secret("hash-b", "open", r#"{"choice":"for"}"#)
        )
        .unwrap()
        .len(),
        0
    );
    let contents: Vec<String> = query(&db, &proposals::contents("secret"))
        .unwrap()
        .into_iter()
        .map(|c| c.content)
        .collect();
    assert_eq!(contents.len(), 2);
    assert!(contents.contains(&r#"{"choice":"blank"}"#.to_string()));
    let counted = |hash: &str, proposal: &str| -> bool {
        Count::any(&query(&db, &proposals::counted(proposal, hash)).unwrap())
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
    let amended = proposals::insert_amendment("a1", "open", "u2", "Texte v2", "plus clair", NOW);
    execute(&db, &amended).unwrap();
    let run = |statement: crate::db::Statement| execute(&db, &statement);
    run(proposals::vote_amendment("a1", "u2", "for")).unwrap();
    run(proposals::vote_amendment("a1", "u3", "blank")).unwrap();
    assert!(run(proposals::vote_amendment("a1", "u2", "against")).is_err());
    let amendment = query(&db, &proposals::amendments("open"))
        .unwrap()
        .remove(0);
    assert_eq!(
        (
            amendment.proposal_id.as_str(),
            amendment.body.as_str(),
            amendment.reason.as_str(),
            amendment.status
        ),
        ("open", "Texte v2", "plus clair", AmendmentStatus::Open),
        "an amendment reads back as it was written"
    );
    assert_eq!(
        (amendment.in_favour, amendment.against, amendment.blank),
        (1, 0, 1)
    );
    let owner = query(&db, &proposals::amendment_proposal("a1")).unwrap();
    assert_eq!(owner[0].proposal_id, "open");
    assert_eq!(
        run(proposals::fold_amendment("open", "a1")).unwrap(),
        0,
        "not adopted yet"
    );
    run(proposals::decide_amendment("a1", true, NOW + 10)).unwrap();
    assert_eq!(
        run(proposals::decide_amendment("a1", false, NOW + 11)).unwrap(),
        0
    );
    let decided = query(&db, &proposals::amendments("open"))
        .unwrap()
        .remove(0);
    assert_eq!(decided.status, AmendmentStatus::Adopted);
    run(proposals::fold_amendment("open", "a1")).unwrap();
    run(proposals::insert_version("open", Some("a1"), NOW + 10)).unwrap();
    let versions: Vec<(i64, String, Option<String>)> = query(&db, &proposals::versions("open"))
        .unwrap()
        .into_iter()
        .map(|v| (v.version, v.body, v.amendment_id))
        .collect();
    assert_eq!(
        versions,
        [
            (1, "Texte v1".into(), None),
            (2, "Texte v2".into(), Some("a1".into()))
        ]
    );
}

#[test]
fn a_proposal_closes_once_and_only_after_its_vote() {
    let db = db();
    assert_eq!(
        query(&db, &proposals::close("open", "{}", NOW + 99))
            .unwrap()
            .len(),
        0,
        "still voting"
    );
    let due = |now: i64| query(&db, &proposals::due_to_close(now, 10)).unwrap().len();
    assert_eq!(due(NOW + 100), 2);
    assert_eq!(
        query(
            &db,
            &proposals::close("open", r#"{"outcome":"adopted"}"#, NOW + 100)
        )
        .unwrap()
        .len(),
        1
    );
    assert_eq!(
        query(
            &db,
            &proposals::close("open", r#"{"outcome":"refused"}"#, NOW + 101)
        )
        .unwrap()
        .len(),
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
        execute(&db, &resolutions::report("post1", person, NOW)).unwrap();
    }
    let reports = query(&db, &resolutions::reports("post1")).unwrap();
    assert_eq!(reports[0].n, 2, "one report a person");
    assert!(
        query(&db, &resolutions::motion_about("post1"))
            .unwrap()
            .is_empty()
    );
    let motion = |id: &str| {
        let asked = domain::vote::moderation::motion("Bonjour", NOW);
        let about = crate::cooperation::About::Post("post1");
        execute(&db, &proposals::insert(id, &asked, None, about, NOW))
    };
    assert!(motion("m1").is_ok());
    let about = query(&db, &resolutions::motion_about("post1")).unwrap();
    assert_eq!(about[0].id, "m1");
    assert!(
        motion("m2").is_err(),
        "a second motion about the same post is refused"
    );
    let hide = |now: i64| execute(&db, &resolutions::hide_post("post1", now)).unwrap();
    assert_eq!(hide(NOW), 1);
    assert_eq!(hide(NOW + 1), 0);
    let post = query(&db, &resolutions::post("post1")).unwrap().remove(0);
    assert_eq!((post.text.as_str(), post.hidden_at), ("x", Some(NOW)));
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
