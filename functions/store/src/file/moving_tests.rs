//! Moving a database between hosts: a dump loaded back is the same database, row for row, its
//! full-text indexes answering and its ledger's head unchanged; and a dump in the shape
//! `wrangler d1 export` writes is taken.

use super::{dump, load};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// A database file with a bit of everything a move must keep: a zone and its contour (long
/// enough to be split for D1), elements with quotes and line breaks, one deleted (a gap in the
/// rowids the full-text indexes point at), a person and a sealed ledger.
fn instance(dir: &Path) -> PathBuf {
    let path = dir.join("communs.db");
    let (db, _) = super::open_and_migrate(&path).unwrap();
    let contour = format!(
        "{{\"type\":\"MultiPolygon\",\"coordinates\":[[[{}]]]}}",
        "[55.27,-21.01],".repeat(14_000)
    );
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region)
         VALUES ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04');
         INSERT INTO person (id, email, display_name, created_at, updated_at)
         VALUES ('p_ana', 'ana@example.org', 'Ana', 1, 1);",
    )
    .unwrap();
    db.execute(
        "INSERT INTO zone_shape (zone_id, geometry) VALUES ('commune:97415', ?1)",
        [&contour],
    )
    .unwrap();
    for (n, name, description) in [
        (
            1,
            "Jardin partagé de l'Étang",
            "Des légumes\r\net l'entraide ; -- pas un commentaire",
        ),
        (2, "Atelier vélo", "Réparations\nle samedi"),
        (3, "Ressourcerie", "Objets"),
    ] {
        db.execute(
            "INSERT INTO element (id, slug, kind, name, description, tags, commune_code, departement, region, lat, lon, geohash, creator_id, created_at, updated_at)
             VALUES (?1, ?1, 'organization', ?2, ?3, '[\"jardin\"]', '97415', '974', '04', -21.01, 55.27, 'mk2e6uk7z', 'p_ana', ?4, ?4)",
            rusqlite::params![format!("e{n}"), name, description, n],
        )
        .unwrap();
    }
    db.execute("DELETE FROM element WHERE id = 'e2'", [])
        .unwrap();
    for seq in 1..=3 {
        db.execute(
            "INSERT INTO ledger_entry (seq, at, kind, amount_cents, currency, ref) VALUES (?1, ?2, 'gift', ?3, 'EUR', ?4)",
            rusqlite::params![seq, format!("2026-12-0{seq}T10:00:00Z"), 500 * seq, format!("donation:d{seq}")],
        )
        .unwrap();
    }
    let entries: Vec<domain::ledger::Appended> =
        crate::native::query(&db, &crate::funding::ledger::all_appended()).unwrap();
    for entry in domain::ledger::seal(&entries[..2]) {
        db.execute(
            "UPDATE ledger_entry SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            rusqlite::params![entry.seq, entry.prev_hash, entry.hash],
        )
        .unwrap();
    }
    path
}

/// Every row of every table, in a stable order, as text: two databases that give the same are
/// the same database.
fn contents(db: &Connection) -> Vec<String> {
    let objects = super::tables::read(db).unwrap();
    let mut all = Vec::new();
    for table in objects.tables {
        let columns = table.dumped_columns().join(", ");
        let sql = format!("SELECT {columns} FROM \"{}\" ORDER BY 1, 2", table.name);
        let mut statement = db.prepare(&sql).unwrap();
        let width = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                let cells: Vec<String> = (0..width)
                    .map(|i| dump::literal(row.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{}: {}", table.name, cells.join(", ")))
            })
            .unwrap();
        all.extend(rows.map(Result::unwrap));
    }
    all
}

fn matching(db: &Connection, index: &str, words: &str) -> Vec<String> {
    let sql = format!(
        "SELECT e.id FROM {index} JOIN element e ON e.rowid = {index}.rowid WHERE {index} MATCH ?1 ORDER BY e.id"
    );
    let mut statement = db.prepare(&sql).unwrap();
    statement
        .query_map([words], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_dump_loaded_back_is_the_same_database() {
    let dir = tempfile::tempdir().unwrap();
    let source = instance(dir.path());
    let db = Connection::open(&source).unwrap();
    let mut text = Vec::new();
    let dumped = dump::write(&db, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert_eq!(dumped.split, 1, "the long contour is split");
    assert!(
        text.lines()
            .all(|line| line.len() <= dump::MAX_STATEMENT + 200),
        "every statement within D1's limit"
    );
    assert!(
        dumped.rows.contains(&("element".to_string(), 2)),
        "{:?}",
        dumped.rows
    );
    let file = dir.path().join("dump.sql");
    std::fs::write(&file, &text).unwrap();

    let target = dir.path().join("loaded.db");
    let loaded = load::load(&file, &target, false).unwrap();
    assert_eq!(loaded.rows["element"], 2);
    assert_eq!(loaded.rows["ledger_entry"], 3);
    assert_eq!(loaded.ledger.count, 3);
    let moved = Connection::open(&target).unwrap();
    assert_eq!(contents(&moved), contents(&db));
    let (before, _) = domain::ledger::verify_appended(
        &crate::native::query(&db, &crate::funding::ledger::all_appended()).unwrap(),
    );
    assert_eq!(loaded.ledger.head, before.unwrap().head);
    for index in ["element_fts", "element_name_fts"] {
        assert_eq!(matching(&moved, index, "etang"), ["e1"], "{index}");
        assert_eq!(matching(&moved, index, "ressourcerie"), ["e3"], "{index}");
    }
    assert_eq!(matching(&moved, "element_fts", "entraide"), ["e1"]);
    assert_eq!(
        matching(&moved, "element_fts", "jardin"),
        ["e1", "e3"],
        "tags"
    );

    // The triggers are back: a new element is counted and found.
    moved
        .execute_batch(
            "INSERT INTO element (id, slug, kind, name, tags, commune_code, geohash, created_at, updated_at)
             VALUES ('e4', 'e4', 'poi', 'Kiosque', '[]', '97415', 'mk2e6uk7y', 9, 9)",
        )
        .unwrap();
    assert_eq!(matching(&moved, "element_name_fts", "kiosque"), ["e4"]);
    let name: String = moved
        .query_row(
            "SELECT commune_name FROM element WHERE id = 'e4'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "Saint-Paul");
    let cell: i64 = moved
        .query_row(
            "SELECT elements FROM element_cell WHERE cell = 'mk2e6u'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(cell, 3, "two moved, one new: counted once each");
}

#[test]
fn a_dump_in_the_shape_of_d1s_export_is_taken() {
    // What `wrangler d1 export --table …` writes: its schema line per table, rows without the
    // rowid, derived tables as they were, no full-text index.
    let dump = format!(
        "PRAGMA defer_foreign_keys=TRUE;
CREATE TABLE IF NOT EXISTS schema_meta (id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
INSERT INTO \"schema_meta\" (\"id\",\"version\") VALUES(1,{version});
CREATE TABLE IF NOT EXISTS \"d1_migrations\"(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);
INSERT INTO \"d1_migrations\" (\"id\",\"name\") VALUES(1,'0001.sql');
INSERT INTO \"zone\" (\"id\",\"kind\",\"code\",\"name\",\"name_key\") VALUES('commune:97415','commune','97415','Saint-Paul','saint paul');
INSERT INTO \"element\" (\"id\",\"slug\",\"kind\",\"name\",\"tags\",\"commune_code\",\"commune_name\",\"geohash\",\"created_at\",\"updated_at\") VALUES('e1','e1','organization','Jardin d''Ana',replace('[]\\n','\\n',char(10)),'97415','Saint-Paul','mk2e6uk7z',1,1);
INSERT INTO \"element_cell\" (\"cell\",\"elements\") VALUES('mk2e6u',1);
INSERT INTO \"kind_count\" (\"kind\",\"elements\") VALUES('organization',1);
INSERT INTO \"kind_count\" (\"kind\",\"elements\") VALUES('*',1);
DELETE FROM sqlite_sequence;
CREATE INDEX zone_by_name ON zone (name_key, population DESC);
",
        version = crate::SCHEMA_VERSION
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.sql");
    std::fs::write(&file, dump).unwrap();
    let target = dir.path().join("communs.db");
    let loaded = load::load(&file, &target, false).unwrap();
    assert_eq!(loaded.rows["element"], 1);
    assert_eq!(loaded.rows["person"], 0);
    assert_eq!(
        loaded.skipped, 6,
        "the pragma, two schema lines, wrangler's row, sqlite_sequence, the index"
    );
    let db = Connection::open(&target).unwrap();
    assert_eq!(matching(&db, "element_fts", "ana"), ["e1"]);
    let cell: i64 = db
        .query_row("SELECT elements FROM element_cell", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        cell, 1,
        "taken as it was, not counted again by the triggers"
    );
    let tables: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'd1_migrations'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "wrangler's own table stays behind");
}

#[test]
fn a_load_refuses_what_it_cannot_take_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("communs.db");
    let refused = |dump: &str| {
        let file = dir.path().join("dump.sql");
        std::fs::write(&file, dump).unwrap();
        let error = load::load(&file, &target, false).unwrap_err();
        assert!(!target.exists(), "nothing written for {dump}");
        assert!(
            !dir.path().join("communs.db.load-partial").exists(),
            "no partial file left"
        );
        error
    };
    let older = refused("INSERT INTO schema_meta (id, version) VALUES (1, 3);");
    assert!(older.contains("schema version 3"), "{older}");
    let version = crate::SCHEMA_VERSION;
    let unknown = refused(&format!(
        "INSERT INTO schema_meta (id, version) VALUES (1, {version});\nINSERT INTO notes (x) VALUES (1);"
    ));
    assert!(
        unknown.contains("notes is not in this release's schema"),
        "{unknown}"
    );
    let orphan = refused(&format!(
        "INSERT INTO schema_meta (id, version) VALUES (1, {version});
INSERT INTO element (id, slug, kind, name, commune_code, creator_id, created_at, updated_at) VALUES ('e1', 'e1', 'poi', 'x', '97415', 'p_nobody', 1, 1);"
    ));
    assert!(orphan.contains("does not hold"), "{orphan}");
    let gap = refused(&format!(
        "INSERT INTO schema_meta (id, version) VALUES (1, {version});
INSERT INTO ledger_entry (seq, at, kind, amount_cents, currency, ref) VALUES (2, 't', 'gift', 1, 'EUR', 'r');"
    ));
    assert!(gap.contains("ledger's chain breaks at entry 2"), "{gap}");
    let cut = refused("INSERT INTO zone (id) VALUES ('open");
    assert!(cut.contains("ends inside a statement"), "{cut}");

    let file = dir.path().join("dump.sql");
    std::fs::write(
        &file,
        format!("INSERT INTO schema_meta (id, version) VALUES (1, {version});"),
    )
    .unwrap();
    load::load(&file, &target, false).unwrap();
    let again = load::load(&file, &target, false).unwrap_err();
    assert!(again.contains("--replace"), "{again}");
    load::load(&file, &target, true).unwrap();
}
