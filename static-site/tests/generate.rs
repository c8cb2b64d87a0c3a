//! The generator as a deployment runs it: over a copy of the database, the whole output stays
//! within `--max-files` (Cloudflare's per-version limit on static files), whatever the database
//! holds; the pages left out are the edge's to render.

use std::path::{Path, PathBuf};
use std::process::Command;

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| match e.file_type().unwrap().is_dir() {
            true => count_files(&e.path()),
            false => 1,
        })
        .sum()
}

/// A database of 3 zones and `elements` elements in one commune, in a fresh folder.
fn database(dir: &Path, elements: usize) -> PathBuf {
    let file = dir.join("d1.sqlite");
    let db = store::native::Connection::open(&file).unwrap();
    db.execute_batch(store::SCHEMA).unwrap();
    db.execute_batch(
        "INSERT INTO zone (id, kind, code, name, name_key, departement, region, population, lat, lon) VALUES \
         ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04', 105000, -21.0, 55.27), \
         ('departement:974', 'departement', '974', 'La Réunion', 'la reunion', '974', '04', NULL, NULL, NULL), \
         ('region:04', 'region', '04', 'La Réunion', 'la reunion', NULL, '04', NULL, NULL, NULL);",
    )
    .unwrap();
    for i in 0..elements {
        db.execute_batch(&format!(
            "INSERT INTO element (id, slug, kind, type, name, tags, commune_code, departement, region, \
             lat, lon, geohash, all_day, open_edition, requires_approval, created_at, updated_at) \
             VALUES ('e{i}', 'e{i}', 'organization', 'NGO', 'Association {i}', '[]', '97415', '974', \
             '04', -21.0, 55.27, 'mh4e6kq5n', 0, 0, 0, {i}, {i})"
        ))
        .unwrap();
    }
    file
}

fn generate(out: &Path, db: &Path, cap: Option<usize>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_generate"));
    command.arg(out).arg("--db").arg(db);
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    if let Some(cap) = cap {
        command.arg("--max-files").arg(cap.to_string());
    }
    let status = command.output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn the_output_stays_within_the_file_cap() {
    let dir = std::env::temp_dir().join(format!("communs-generate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = database(&dir, 40);
    let whole = dir.join("whole");
    generate(&whole, &db, None);
    let all = count_files(&whole);
    let element_pages = |out: &Path| std::fs::read_dir(out.join("e")).map_or(0, |d| d.count());
    assert_eq!(
        element_pages(&whole),
        40,
        "under the default cap, every page"
    );
    assert!(whole.join("regions/04/index.html").exists());

    let capped = dir.join("capped");
    let cap = all - 25;
    generate(&capped, &db, Some(cap));
    assert_eq!(
        count_files(&capped),
        cap,
        "exactly the cap: no more, and no room wasted"
    );
    assert_eq!(
        element_pages(&capped),
        15,
        "the most recently changed first"
    );
    assert!(capped.join("e/e39/index.html").exists() && !capped.join("e/e0").exists());
    assert!(
        capped.join("regions/04/index.html").exists(),
        "the zones' pages kept"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
