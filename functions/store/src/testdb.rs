//! Native databases for the tests: SQLite with the schema of record, as D1 would hold it.

use rusqlite::Connection;
use std::path::PathBuf;

pub fn fresh() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    // D1 always enforces foreign keys; so must the tests.
    db.pragma_update(None, "foreign_keys", true).unwrap();
    db.execute_batch(crate::SCHEMA)
        .expect("schema.sql applies to SQLite");
    db
}

/// The migration files, sorted, as (number, file name, text).
pub fn migrations() -> Vec<(i64, String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files: Vec<(i64, String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".sql"))
        .map(|name| {
            let number = name
                .split('_')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{name} does not start with its number"));
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            (number, name, text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn migrations_are_numbered_without_gaps_up_to_the_schema_version() {
    let files = migrations();
    for (index, (number, name, text)) in files.iter().enumerate() {
        assert_eq!(*number, index as i64 + 2, "{name} is out of sequence");
        assert!(
            text.contains(&format!("SET version = {number}")),
            "{name} must stamp schema_meta with its number"
        );
    }
    let last = files.last().map_or(1, |(number, _, _)| *number);
    assert_eq!(last, crate::SCHEMA_VERSION);
    assert!(
        crate::SCHEMA.contains(&format!("VALUES (1, {last})")),
        "schema.sql must record version {last}"
    );
}
