//! The binary's database survives what a machine does to it (issue 21, "Done when"): a kill -9
//! in the middle of a write burst leaves nothing half-written, and a backup taken while serving
//! restores to the same counts and the same ledger head. `communs` runs as a child process on a
//! loopback port; its database is then opened here.

mod support;

use domain::ledger::Appended;
use rusqlite::Connection;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{Served, get, write};

/// Appends `sealed` sealed entries then `unsealed` entries to the public ledger (the funding
/// area writes it; this host has no way to it without Stripe yet).
fn ledger(db: &Path, sealed: i64, unsealed: i64) {
    let conn = Connection::open(db).unwrap();
    let mut rows: Vec<Appended> = (1..=sealed + unsealed)
        .map(|seq| Appended {
            seq,
            at: format!("2026-11-{:02}T10:00:00Z", seq % 28 + 1),
            kind: "gift".into(),
            amount_cents: 500 * seq,
            currency: "EUR".into(),
            reference: format!("donation:d{seq}"),
            prev_hash: None,
            hash: None,
        })
        .collect();
    for entry in domain::ledger::seal(&rows[..sealed as usize]) {
        let row = &mut rows[entry.seq as usize - 1];
        row.prev_hash = Some(entry.prev_hash);
        row.hash = Some(entry.hash);
    }
    for row in rows {
        conn.execute(
            "INSERT INTO ledger_entry (seq, at, kind, amount_cents, currency, ref, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                row.seq,
                row.at,
                row.kind,
                row.amount_cents,
                row.currency,
                row.reference,
                row.prev_hash,
                row.hash
            ],
        )
        .unwrap();
    }
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |row| row.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// What the database holds: elements, persons, links, tags, ledger entries, and the ledger's
/// verified head.
#[derive(Debug, PartialEq, Eq)]
struct Held {
    elements: i64,
    persons: i64,
    links: i64,
    tags: i64,
    ledger: i64,
    head: String,
}

fn held(db: &Path) -> Held {
    let conn = Connection::open(db).unwrap();
    let (verdict, _) = server::doctor::ledger_chain(&conn).unwrap();
    let verified = verdict.unwrap_or_else(|broken| panic!("the ledger's chain: {broken:?}"));
    Held {
        elements: count(&conn, "SELECT count(*) FROM element"),
        persons: count(&conn, "SELECT count(*) FROM person"),
        links: count(&conn, "SELECT count(*) FROM link"),
        tags: count(&conn, "SELECT count(*) FROM element_tag"),
        ledger: verified.count,
        head: verified.head,
    }
}

/// The database is sound and no write is half there: SQLite's and FTS5's integrity checks, every
/// element with its creator's admin link and all its tags, the ledger's chain whole.
fn whole(db: &Path) -> Held {
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    conn.execute(
        "INSERT INTO element_fts (element_fts) VALUES ('integrity-check')",
        [],
    )
    .expect("the full-text index matches its table");
    let orphans = count(
        &conn,
        "SELECT count(*) FROM element e WHERE NOT EXISTS (SELECT 1 FROM link l \
         WHERE l.element_id = e.id AND l.person_id = 'p_ana' AND l.is_admin = 1)",
    );
    assert_eq!(orphans, 0, "every element has its admin link");
    let untagged = count(
        &conn,
        "SELECT count(*) FROM element e WHERE (SELECT count(*) FROM element_tag t \
         WHERE t.element_id = e.id) != (SELECT count(DISTINCT value) FROM json_each(e.tags)) \
         OR json_array_length(e.tags) != 2",
    );
    assert_eq!(untagged, 0, "every element has its two tags");
    drop(conn);
    for finding in server::doctor::database(db) {
        assert!(finding.is_ok(), "{finding}");
    }
    let held = held(db);
    assert_eq!(held.links, held.elements);
    assert_eq!(held.tags, 2 * held.elements);
    held
}

/// Writers creating elements as Ana, `writers` at once, until `stop` or the server is gone; the
/// ids the server acknowledged (201) go into `acked`.
fn burst(
    address: SocketAddr,
    cookie: &str,
    writers: usize,
    next: &Arc<AtomicUsize>,
    stop: &Arc<AtomicBool>,
    acked: &Arc<std::sync::Mutex<Vec<String>>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..writers)
        .map(|_| {
            let (next, stop, acked) = (Arc::clone(next), Arc::clone(stop), Arc::clone(acked));
            let cookie = cookie.to_string();
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let body = support::element(n);
                    match write(address, "POST", "/api/elements", &cookie, &body).await {
                        Ok(answer) if answer.status == 201 => {
                            let id = answer.json()["id"].as_str().unwrap().to_string();
                            acked.lock().unwrap().push(id);
                        }
                        Ok(answer) => panic!("{}: {}", answer.status, answer.text()),
                        // The server is gone (killed): the burst ends.
                        Err(_) => return,
                    }
                }
            })
        })
        .collect()
}

async fn until(what: impl Fn() -> bool, within: Duration) {
    let deadline = Instant::now() + within;
    while !what() {
        assert!(Instant::now() < deadline, "not reached in {within:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_in_the_middle_of_a_write_burst_leaves_nothing_half_written() {
    let (dir, site) = support::folder();
    let db = dir.path().join("communs.db");
    let ana = support::seed(&db);
    ledger(&db, 5, 2);
    let before = held(&db);
    let next = Arc::new(AtomicUsize::new(1));
    let acked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut unacknowledged_before = 0;

    for round in 1..=3 {
        let served = Served::start(&db, &site, &[]);
        let stop = Arc::new(AtomicBool::new(false));
        let already = acked.lock().unwrap().len();
        let writers = burst(served.address, &ana, 6, &next, &stop, &acked);
        // Well into the burst: six writes under way at any moment.
        until(
            || acked.lock().unwrap().len() >= already + 30,
            Duration::from_secs(20),
        )
        .await;
        served.kill();
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.await.unwrap();
        }

        let after = whole(&db);
        let acked = acked.lock().unwrap().clone();
        let conn = Connection::open(&db).unwrap();
        for id in &acked {
            let there = count(
                &conn,
                &format!("SELECT count(*) FROM element WHERE id = '{id}'"),
            );
            assert_eq!(
                there, 1,
                "round {round}: {id} was acknowledged, so it stays"
            );
        }
        eprintln!(
            "round {round}: {} acknowledged, {} elements",
            acked.len(),
            after.elements
        );
        // Besides what was acknowledged, at most the writes under way when a kill came are there
        // (six a round: those of earlier rounds stay too).
        let unacknowledged = after.elements - before.elements - acked.len() as i64;
        assert!(
            (unacknowledged_before..=unacknowledged_before + 6).contains(&unacknowledged),
            "round {round}: {unacknowledged} unacknowledged, {unacknowledged_before} before"
        );
        unacknowledged_before = unacknowledged;
        assert_eq!((after.ledger, &after.head), (before.ledger, &before.head));
    }

    // It starts again on the same file, migrated (nothing to do) and healthy.
    let served = Served::start(&db, &site, &[]);
    let health = get(served.address, "/api/health").await;
    assert_eq!(health.status, 200, "{}", health.text());
    let last = acked.lock().unwrap().last().cloned().unwrap();
    let element = get(served.address, &format!("/api/elements/{last}")).await;
    assert_eq!(element.status, 200, "{}", element.text());
    assert!(
        served.log().contains("(0 migration(s) applied)"),
        "{}",
        served.log()
    );
    served.stop();
}

/// `communs args…` must succeed; its output.
fn communs(args: &[&str], settings: &[(&str, &str)]) -> String {
    let (ok, output) = support::run(args, settings);
    assert!(ok, "communs {args:?}: {output}");
    output
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_the_same_counts_and_ledger_head() {
    let (dir, site) = support::folder();
    let db = dir.path().join("communs.db");
    let path = db.to_str().unwrap();
    let ana = support::seed(&db);
    ledger(&db, 5, 2);
    let served = Served::start(&db, &site, &[]);
    for n in 1..=20 {
        let created = write(
            served.address,
            "POST",
            "/api/elements",
            &ana,
            &support::element(n),
        )
        .await
        .unwrap();
        assert_eq!(created.status, 201, "{}", created.text());
    }

    // A backup while writes go on is one moment of the database, whole.
    let next = Arc::new(AtomicUsize::new(100));
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let writers = burst(served.address, &ana, 2, &next, &stop, &acked);
    until(|| acked.lock().unwrap().len() >= 5, Duration::from_secs(20)).await;
    let during = dir.path().join("during.db");
    let output = communs(&["backup", during.to_str().unwrap(), "--db", path], &[]);
    assert!(output.contains("integrity ok"), "{output}");
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let moment = whole(&during);
    assert!(moment.elements >= 25, "{moment:?}");

    // The backup of a quiet moment, still serving; then the server stops and the files go.
    let saved = dir.path().join("saved.db");
    communs(&["backup", saved.to_str().unwrap(), "--db", path], &[]);
    let live = whole(&db);
    assert_eq!(held(&saved), live);
    let refused = support::run(&["restore", saved.to_str().unwrap(), "--db", path], &[]);
    assert!(
        !refused.0,
        "no restore under a running server: {}",
        refused.1
    );
    served.stop();
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{path}{suffix}");
        if Path::new(&file).exists() {
            std::fs::remove_file(&file).unwrap();
        }
    }
    assert!(!db.exists());

    let output = communs(&["restore", saved.to_str().unwrap(), "--db", path], &[]);
    assert!(output.contains("restored from"), "{output}");
    let restored = whole(&db);
    assert_eq!(restored, live, "the same counts and the same ledger head");
    assert_eq!(restored.ledger, 7);

    let doctor = communs(
        &["doctor", "--db", path, "--site", site.to_str().unwrap()],
        &[("SITE_URL", "https://communs.example")],
    );
    assert!(
        doctor.contains("ok        registre public : 7 entrée(s), chaîne intacte"),
        "{doctor}"
    );

    let served = Served::start(&db, &site, &[]);
    assert_eq!(get(served.address, "/api/health").await.status, 200);
    let search = get(served.address, "/api/search?q=epicerie").await;
    assert_eq!(search.status, 200, "{}", search.text());
    served.stop();
}
