use crate::media::{NewPicture, by_id, delete, insert, of_author, of_element, of_role};
use crate::native::{execute, objects, query};
use crate::testdb;
use domain::media::{Format, Role};
use rusqlite::Connection;

fn db() -> Connection {
    let db = testdb::fresh();
    db.execute_batch(
        "INSERT INTO person (id, email, created_at, updated_at) VALUES ('p1', 'a@b.fr', 0, 0); \
         INSERT INTO element (id, slug, kind, name, commune_code, created_at, updated_at) VALUES \
           ('e1', 'e1', 'organization', 'Vrac', '97415', 10, 10);",
    )
    .unwrap();
    db
}

fn add(db: &Connection, id: &str, role: Role, small: (u32, u32), now: i64) {
    let picture = NewPicture {
        id,
        element: "e1",
        role,
        format: Format::Jpeg,
        size: (800, 600),
        small,
        alt: "Le marché",
        bytes: 1234,
        author: "p1",
        now,
    };
    for statement in insert(&picture) {
        execute(db, &statement).unwrap();
    }
}

fn logo(db: &Connection) -> Option<String> {
    let rows = objects(db, "SELECT logo FROM element WHERE id = 'e1'", &[]).unwrap();
    rows[0]["logo"].as_str().map(str::to_string)
}

#[test]
fn a_picture_reads_back_as_written_and_a_logo_is_what_lists_show() {
    let db = db();
    add(&db, "pic1", Role::Logo, (200, 150), 5);
    let row = query(&db, &by_id("pic1")).unwrap().remove(0);
    assert_eq!(
        (row.element_id.as_str(), row.role, row.format),
        ("e1", Role::Logo, Format::Jpeg)
    );
    assert_eq!((row.width, row.height), (800, 600));
    assert_eq!((row.small_width, row.small_height), (200, 150));
    assert_eq!((row.alt.as_str(), row.bytes), ("Le marché", 1234));
    assert_eq!((row.author_id.as_deref(), row.created_at), (Some("p1"), 5));
    assert_eq!(logo(&db).as_deref(), Some("pic1-small.jpg"));
    add(&db, "pic2", Role::Photo, (800, 600), 6);
    // A photo is not what lists show.
    assert_eq!(logo(&db).as_deref(), Some("pic1-small.jpg"));
    let ids: Vec<_> = query(&db, &of_element("e1")).unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(query(&db, &of_role("e1", Role::Logo)).unwrap().len(), 1);
    assert_eq!(query(&db, &of_author("p1")).unwrap().len(), 2);
    assert_eq!(query(&db, &of_role("e1", Role::Photo)).unwrap().len(), 1);
    // A newer logo took its place: forgetting the old one leaves the new one shown.
    add(&db, "pic3", Role::Logo, (800, 600), 7);
    for statement in delete("pic1") {
        execute(&db, &statement).unwrap();
    }
    assert_eq!(logo(&db).as_deref(), Some("pic3.jpg"));
    for statement in delete("pic3") {
        execute(&db, &statement).unwrap();
    }
    assert_eq!(logo(&db), None);
    assert!(query(&db, &by_id("pic1")).unwrap().is_empty());
    // Deleting the element takes its rows with it.
    execute(
        &db,
        &crate::db::Statement::new("DELETE FROM element WHERE id = 'e1'", vec![]),
    )
    .unwrap();
    assert!(query(&db, &of_element("e1")).unwrap().is_empty());
}
