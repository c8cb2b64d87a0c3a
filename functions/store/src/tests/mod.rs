//! Every statement, run against SQLite with the schema of record.

mod accounts;
mod limits;
mod outbox;

use crate::testdb;

#[test]
fn every_statement_prepares_against_the_schema() {
    use crate::{accounts as a, limits as l, meta as m, outbox as o};
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
        l::BUMP,
        l::FORGET,
        l::PURGE,
        o::INSERT,
        o::LATEST,
        o::OF_EMAIL,
    ];
    all.extend(a::ERASE_PERSON);
    all.extend(a::PURGE_EXPIRED);
    for sql in all {
        db.prepare(sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }
}
