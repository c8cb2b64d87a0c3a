use crate::native::{execute, query};
use crate::outbox::*;
use crate::testdb;

#[test]
fn lists_the_newest_first_and_by_address() {
    let db = testdb::fresh();
    for (to, subject) in [("a@b.fr", "un"), ("c@d.fr", "deux"), ("a@b.fr", "trois")] {
        let message = domain::mail::Message {
            to: to.into(),
            subject: subject.into(),
            body: "corps".into(),
            unsubscribe: None,
        };
        execute(&db, &insert(&message, "tok", "code", 100)).unwrap();
    }
    let latest = query(&db, &latest(2)).unwrap();
    let addressed: Vec<(&str, &str)> = latest
        .iter()
        .map(|m| (m.to.as_str(), m.subject.as_str()))
        .collect();
    assert_eq!(addressed, [("a@b.fr", "trois"), ("c@d.fr", "deux")]);
    assert!(
        latest.iter().all(|m| m.body == "corps"
            && m.token.as_deref() == Some("tok")
            && m.code.as_deref() == Some("code")
            && m.created_at == 100),
        "a message reads back as it was written: {latest:?}"
    );
    let mine =
        crate::native::objects(&db, &of_email("a@b.fr").sql, &of_email("a@b.fr").args).unwrap();
    let subjects: Vec<&str> = mine.iter().filter_map(|m| m["subject"].as_str()).collect();
    assert_eq!(subjects, ["un", "trois"]);
}
