//! Every statement, run against SQLite with the schema of record.

mod accounts;
mod areas;
mod cooperation;
mod discussion;
mod elements;
mod features;
mod funding;
mod imports;
mod limits;
mod live;
mod media;
mod outbox;
mod search;
mod stats;

use crate::testdb;

#[test]
fn every_statement_prepares_against_the_schema() {
    use crate::{accounts as a, elements as e, limits as l, meta as m, outbox as o, zones as z};
    let db = testdb::fresh();
    let mut all = vec![
        m::SCHEMA_VERSION,
        a::INSERT_SIGN_IN,
        a::USE_SIGN_IN_TOKEN,
        a::USE_SIGN_IN_CODE,
        a::FAIL_SIGN_IN_CODE,
        a::INSERT_PERSON,
        a::INSERT_SESSION,
        a::PERSON_BY_EMAIL,
        a::PERSON_BY_SESSION,
        a::REFRESH_SESSION,
        a::DELETE_SESSION,
        a::UPDATE_PROFILE,
        a::SESSIONS_OF_PERSON,
        a::SIGN_INS_OF_EMAIL,
        a::EMAIL_OF,
        l::BUMP,
        l::FORGET,
        l::PURGE,
        o::INSERT,
        o::LATEST,
        o::OF_EMAIL,
        z::BY_ID,
        z::BY_CODE,
        z::BY_NAME_PREFIX,
        z::BY_NAME,
        z::COUNT,
        z::WITH_ELEMENTS,
        z::SHAPE,
        z::RELATED_COMMUNES,
        z::CANDIDATES_IN_CELLS,
        z::SERVED,
        e::ALL,
        e::RECENT,
        e::BY_ID_OR_SLUG,
        e::SLUGS_LIKE,
        e::INSERT,
        e::UPDATE,
        e::DELETE,
        e::DELETE_TAGS,
        e::INSERT_TAGS,
        e::COMMUNE_FOR_ELEMENT,
        e::RELATION,
        e::LINKS_OF_PERSON,
        e::INSERT_CREATOR_ADMIN,
        e::FOLLOW,
        e::UNFOLLOW,
        e::JOIN,
        e::LEAVE,
        e::MEMBERS,
        e::UPDATE_MEMBER,
        crate::live::INSERT_POST,
        crate::imports::PLACES,
        crate::imports::POSTAL_CODES,
        crate::imports::EXISTING,
        crate::imports::TAKEN_SLUGS,
        crate::imports::INSERT_ELEMENTS,
        crate::imports::UPDATE_ELEMENTS,
        crate::imports::DELETE_TAGS,
        crate::imports::INSERT_TAGS,
        crate::imports::INSERT_ADMINS,
        crate::imports::RECORD_SOURCES,
        crate::funding::INSERT_DONATION,
        crate::funding::DONATION_BY_ID,
        crate::funding::DONATIONS_OF_PERSON,
        crate::funding::SET_CHECKOUT,
        crate::funding::CONFIRM_DONATION,
        crate::funding::FAIL_DONATION,
        crate::funding::DONATION_BY_SUBSCRIPTION,
        crate::funding::CANCEL_DONATION,
        crate::funding::EVENT_SEEN,
        crate::funding::INSERT_EVENT,
        crate::funding::LEDGER_TO_SEAL,
        crate::funding::SEAL_ENTRY,
        crate::funding::LEDGER_PAGE,
        crate::funding::LEDGER_ALL,
        crate::funding::LEDGER_LATEST,
        crate::funding::LEDGER_LINES,
        crate::funding::LEDGER_HAS_SOURCE,
        crate::funding::INSERT_ENTRY,
        crate::funding::INSERT_RELEASE,
        crate::funding::SUMMARY,
        crate::funding::IS_DONOR,
        crate::stats::ALL,
    ];
    {
        use crate::cooperation as c;
        all.extend([
            c::INSERT_PROPOSAL,
            c::INSERT_VERSION,
            c::VERSIONS,
            c::PROPOSAL_BY_ID,
            c::PROPOSALS_OF,
            c::OPEN_FOR_PERSON,
            c::DUE_TO_CLOSE,
            c::CLOSE,
            c::SET_SCHEDULE,
            c::INSERT_AMENDMENT,
            c::AMENDMENTS_OF,
            c::AMENDMENT_PROPOSAL,
            c::VOTE_AMENDMENT,
            c::DECIDE_AMENDMENT,
            c::FOLD_AMENDMENT,
            c::CAST_BALLOT,
            c::REPLACE_BALLOT,
            c::CAST_PARTICIPATION,
            c::CAST_SECRET,
            c::REPLACE_SECRET,
            c::COUNTED_BY_RECEIPT,
            c::TOOK_PART,
            c::CONTENTS,
            c::ELIGIBLE,
            c::INSERT_ACTION,
            c::SET_ACTION_STATUS,
            c::ADD_CONTRIBUTOR,
            c::ACTIONS_OF,
            c::REPORT_POST,
            c::REPORTS_OF,
            c::MOTION_ABOUT,
            c::HIDE_POST,
            c::ACTION_BY_ID,
            c::POST_BY_ID,
        ]);
    }
    {
        use crate::features as f;
        all.extend([
            f::INSERT_FEATURE,
            f::INSERT_HISTORY,
            f::HISTORY,
            f::FEATURE_BY_ID,
            f::FEATURES,
            f::REACH_GOAL,
            f::EXPIRE,
            f::DUE_TO_EXPIRE,
            f::STEER,
            f::INSERT_PLEDGE,
            f::PLEDGE_BY_ID,
            f::PLEDGE_BY_KEY,
            f::PLEDGES_OF_PERSON,
            f::TO_CHARGE,
            f::DUE_CHARGES,
            f::CLAIM,
            f::CHARGED,
            f::CHARGE_FAILED,
            f::CHARGE_REF,
            f::WITHDRAW,
            f::TO_RELEASE,
            f::RELEASE,
            f::REFUNDED,
            f::COMMIT_PENDING,
            f::FEATURES_OF_PENDING,
            f::SAVE_METHOD,
            f::METHOD_OF,
        ]);
    }
    all.extend(a::ERASE_PERSON);
    all.extend(a::PURGE_EXPIRED);
    for sql in all {
        db.prepare(sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }
}

#[test]
fn zone_lookups_use_their_indexes() {
    let db = testdb::fresh();
    let by_name = rusqlite::params!["a", "b", "commune", 5];
    let by_code = rusqlite::params!["97415", "commune", 5];
    let namesakes = rusqlite::params!["saint paul", 20];
    for (sql, args, index) in [
        (crate::zones::BY_NAME, namesakes, "zone_by_name"),
        (crate::zones::BY_NAME_PREFIX, by_name, "zone_by_name"),
        (crate::zones::BY_CODE, by_code, "zone_by_code"),
    ] {
        let plan: Vec<String> = db
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(args, |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan.iter().any(|d| d.contains(index)),
            "{index} unused: {plan:?}"
        );
    }
}

/// The statements of a point's commune, a search's zones, a commune's arrondissements and the
/// zone lookups read their indexes, never a whole table (41,000 zones, 276,000 cells).
#[test]
fn zone_statements_never_scan_a_table() {
    let db = testdb::fresh();
    let text = |v: &str| rusqlite::types::Value::Text(v.into());
    let cases: Vec<(String, Vec<rusqlite::types::Value>)> = vec![
        (
            crate::zones::candidates_at(3),
            vec![text("u"), text("u0"), text("u05")],
        ),
        (
            crate::zones::scopes(2),
            vec![text("commune:69123"), text("postal:69100")],
        ),
        (
            crate::zones::RELATED_COMMUNES.into(),
            vec![text("69123"), text("69123")],
        ),
        (crate::zones::BY_ID.into(), vec![text("commune:69123")]),
        (
            crate::zones::BY_CODE.into(),
            vec![
                text("69003"),
                rusqlite::types::Value::Null,
                rusqlite::types::Value::Integer(5),
            ],
        ),
        (crate::zones::SHAPE.into(), vec![text("commune:69123")]),
        (
            crate::zones::CANDIDATES_IN_CELLS.into(),
            vec![text("[\"u05\", \"u05k\"]")],
        ),
        (crate::zones::SERVED.into(), vec![text("[\"69100\"]")]),
    ];
    for (sql, args) in cases {
        let plan: Vec<String> = db
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            // The input lists and subqueries' own rows are read whole; no table is.
            !plan.iter().any(|d| d.starts_with("SCAN ")
                && !d.starts_with("SCAN (")
                && !d.starts_with("SCAN json_each")
                && !d.contains("CONSTANT")),
            "{sql}: {plan:?}"
        );
    }
}

#[test]
fn namesakes_are_the_zones_of_exactly_one_name_most_populous_first() {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region, population) VALUES \
           ('commune:60591', 'commune', '60591', 'Saint-Paul', 'saint paul', '60', '32', 1500), \
           ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04', 105000), \
           ('commune:06128', 'commune', '06128', 'Saint-Paul-de-Vence', 'saint paul de vence', '06', '93', 3500), \
           ('postal:97460', 'postal', '97460', 'Saint-Paul', 'saint paul', '974', '04', NULL);",
    )
    .unwrap();
    let ids: Vec<String> = db
        .prepare(crate::zones::BY_NAME)
        .unwrap()
        .query_map(rusqlite::params!["saint paul", 20], |r| r.get("id"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids, ["commune:97415", "commune:60591"]);
}
