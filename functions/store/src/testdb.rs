//! Native databases for the tests: SQLite with the schema of record, as D1 would hold it.

use rusqlite::Connection;
use std::path::PathBuf;

pub fn fresh() -> Connection {
    crate::native::fresh_in_memory()
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

/// The schema as one comparable text: every table's columns, every index, trigger and view by
/// name and definition (whitespace folded), sorted.
fn shape(db: &Connection) -> Vec<String> {
    let mut items: Vec<String> = db
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'element_fts_%'")
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .map(|(kind, name, sql)| match kind.as_str() {
            // Columns, not the statement: ALTER TABLE adds them at the end.
            "table" => {
                let mut columns: Vec<String> = db
                    .prepare(&format!("SELECT name, type FROM pragma_table_xinfo('{name}')"))
                    .unwrap()
                    .query_map([], |r| Ok(format!("{} {}", r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                columns.sort();
                format!("table {name}: {}", columns.join(", "))
            }
            _ => format!("{kind} {name}: {}", sql.split_whitespace().collect::<Vec<_>>().join(" ")),
        })
        .collect();
    items.sort();
    items
}

#[test]
fn the_migrations_bring_the_previous_schema_to_the_schema_of_record() {
    // tests/fixtures/schema-v6.sql is schema.sql as it stood at version 6 (before issue 8).
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/schema-v6.sql");
    let old = Connection::open_in_memory().unwrap();
    old.execute_batch(&std::fs::read_to_string(path).unwrap())
        .unwrap();
    old.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key) VALUES ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul');
         INSERT INTO element (id, slug, kind, name, tags, commune_code, departement, region, geohash, created_at, updated_at)
         VALUES ('kept', 'kept', 'organization', 'Jardin partagé', '[\"Jardin\"]', '97415', '974', '04', 'mk2e6uk7z', 1, 1);",
    )
    .unwrap();
    for (number, _, text) in migrations() {
        if number > 6 {
            old.execute_batch(&text).unwrap();
        }
    }
    assert_eq!(shape(&old), shape(&fresh()));
    // The element kept its place in the rebuilt full-text index (now with its map cell), and its
    // commune's name.
    let found: (String, String) = old
        .query_row(
            "SELECT e.id, e.commune_name FROM element_fts f JOIN element e ON e.rowid = f.rowid \
             WHERE element_fts MATCH 'jardin AND search_keys : d974 AND search_keys : \"gmk2e\"*'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(found, ("kept".to_string(), "Saint-Paul".to_string()));
    old.execute_batch(
        "INSERT INTO element_fts (element_fts) VALUES ('integrity-check');
         INSERT INTO element_name_fts (element_name_fts) VALUES ('integrity-check');",
    )
    .unwrap();
}
