//! Comments and notifications against SQLite.

use crate::comments;
use crate::native::{execute, query};
use crate::notifications::{self as n, Notice};
use crate::testdb;
use domain::notification::Kind;
use rusqlite::Connection;

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, display_name, public_fields, notify, created_at, updated_at) VALUES \
           ('p1', 'a@b.fr', 'Camille', '[\"display_name\"]', '{}', 0, 0), \
           ('p2', 'c@d.fr', 'Secret', '[]', '{\"comment\":\"never\"}', 0, 0), \
           ('p3', 'e@f.fr', 'Dom', '[]', '{}', 0, 0); \
         INSERT INTO element (id, slug, kind, name, commune_code, created_at, updated_at) VALUES \
           ('e1', 'e1', 'organization', 'Vrac', '97415', 10, 10); \
         INSERT INTO link (element_id, person_id, kind, is_admin, created_at) VALUES \
           ('e1', 'p1', 'follow', 0, 0), ('e1', 'p2', 'follow', 0, 0), ('e1', 'p3', 'member', 1, 0);",
    )
    .unwrap();
    db
}

#[test]
fn comments_page_oldest_first_hide_and_go_with_their_thread() {
    let db = db();
    let add = |id: &str, reply: Option<&str>, at: i64| {
        execute(
            &db,
            &comments::insert(id, "element:e1", "p1", reply, "Bonjour", at),
        )
        .unwrap();
    };
    add("c1", None, 100);
    add("c2", Some("c1"), 100);
    add("c3", None, 200);
    let first = query(&db, &comments::of_target("element:e1", None, 2)).unwrap();
    let ids: Vec<_> = first.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"], "a page and one more");
    assert_eq!(first[0].author_name.as_deref(), Some("Camille"));
    let next = query(
        &db,
        &comments::of_target("element:e1", Some(first[1].seq), 2),
    )
    .unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].id, "c3");
    execute(&db, &comments::edit("c3", "Salut", 250)).unwrap();
    let c3 = query(&db, &comments::by_id("c3")).unwrap().remove(0);
    assert_eq!((c3.text.as_str(), c3.edited_at), ("Salut", Some(250)));
    execute(&db, &comments::hide("c3", 300)).unwrap();
    assert_eq!(query(&db, &comments::count("element:e1")).unwrap()[0].n, 2);
    for person in ["p1", "p2", "p1"] {
        execute(&db, &comments::report("c1", person, 5)).unwrap();
    }
    assert_eq!(query(&db, &comments::reports("c1")).unwrap()[0].n, 2);
    execute(&db, &comments::delete("c1")).unwrap();
    assert!(
        query(&db, &comments::by_id("c2")).unwrap().is_empty(),
        "the reply went with it"
    );
    assert_eq!(
        query(&db, &comments::admins_of("e1", "p3")).unwrap()[0].n,
        1
    );
    assert_eq!(
        query(&db, &comments::admins_of("e1", "p1")).unwrap()[0].n,
        0
    );
}

#[test]
fn each_notification_is_made_once_and_mailed_once() {
    let db = db();
    let notice = Notice {
        kind: Kind::Comment,
        text: "Nouveau commentaire sur Vrac",
        url: "/e/e1/",
        once: "comment:c1",
        now: 1000,
    };
    // Twice, as a retried request would: still one each; never the one who wrote it.
    for _ in 0..2 {
        execute(&db, &n::to_followers("e1", "p1", &notice)).unwrap();
    }
    assert!(
        query(&db, &n::of_person("p1", None, 10))
            .unwrap()
            .is_empty()
    );
    assert_eq!(query(&db, &n::of_person("p2", None, 10)).unwrap().len(), 1);
    let p3 = query(&db, &n::of_person("p3", None, 10)).unwrap();
    assert_eq!(p3.len(), 1);
    assert_eq!(query(&db, &n::unread("p3")).unwrap()[0].n, 1);
    // p2 never wants comments mailed: nothing of theirs waits for a mail.
    let waiting: Vec<_> = query(&db, &n::to_mail(10)).unwrap();
    let ids: Vec<_> = waiting.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["p3"]);
    let list = format!("[{}]", p3[0].id);
    assert_eq!(query(&db, &n::claim("p3", &list, 1100)).unwrap().len(), 1);
    assert!(
        query(&db, &n::claim("p3", &list, 1100)).unwrap().is_empty(),
        "claimed once"
    );
    execute(&db, &n::unclaim("p3", &list)).unwrap();
    assert_eq!(query(&db, &n::unmailed("p3")).unwrap().len(), 1);
    execute(&db, &n::read_up_to("p3", p3[0].id, 1200)).unwrap();
    assert_eq!(query(&db, &n::unread("p3")).unwrap()[0].n, 0);
    execute(&db, &n::digested("p3", true, false, 1300)).unwrap();
    let p3 = query(&db, &n::to_mail(10)).unwrap().remove(0);
    assert_eq!((p3.digest_at, p3.weekly_digest_at), (Some(1300), None));
}
