//! `communs load`: a database made from a dump, so that an instance can leave Cloudflare for one
//! machine. It reads what `wrangler d1 export` writes (with or without its schema, all tables or
//! those named with `--table`: D1 refuses to export a database with full-text indexes, so they are
//! left out, see the README) as well as what `communs dump` writes. The database is made anew
//! from the schema of record; only the dump's rows are taken from it (every other statement, the
//! schema's included, is skipped), with the triggers dropped meanwhile so that derived tables are
//! taken as they were; then the triggers are created again and the full-text indexes rebuilt from
//! their table. All of it in one transaction on a file beside the database, checked (schema
//! version, foreign keys, integrity, the ledger's chain) before it takes the database's place.

use super::tables::{self, Objects, quoted};
use crate::db::after_comments;
use domain::ledger::Verified;
use rusqlite::{Connection, Transaction};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

/// What a load made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// Rows taken, per table (every table of the schema, those the dump had none of at 0).
    pub rows: BTreeMap<String, u64>,
    /// Statements of the dump that were not rows (its schema, pragmas), skipped.
    pub skipped: u64,
    /// The public ledger as loaded.
    pub ledger: Verified,
}

/// Makes the database at `db` from the dump `from`. A database already there is replaced only
/// when `replace` says so, and never while a server holds it.
pub fn load(from: &Path, db: &Path, replace: bool) -> Result<Loaded, String> {
    let _lock = super::lock::acquire(db)?;
    if db.exists() && !replace {
        return Err(format!(
            "{} exists: move it away first, or pass --replace (back it up first: `communs backup FILE`)",
            db.display()
        ));
    }
    let dump = std::fs::File::open(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let partial = super::backup::sibling(db, ".load-partial");
    let _ = std::fs::remove_file(&partial);
    let made = make(std::io::BufReader::new(dump), &partial);
    let loaded = match made {
        Ok(loaded) => loaded,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(format!("{}: {error}", from.display()));
        }
    };
    super::backup::put_in_place_of(&partial, db)?;
    super::open_and_migrate(db)?;
    Ok(loaded)
}

/// Writes the database made from `dump` into a new file at `to`.
fn make(dump: impl BufRead, to: &Path) -> Result<Loaded, String> {
    let fail = |e: rusqlite::Error| e.to_string();
    let mut db = Connection::open(to).map_err(fail)?;
    crate::native::like_d1(&db)?;
    db.execute_batch(crate::SCHEMA).map_err(fail)?;
    let objects = tables::read(&db)?;
    let tx = db.transaction().map_err(fail)?;
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")
        .map_err(fail)?;
    for (name, _) in &objects.triggers {
        tx.execute_batch(&format!("DROP TRIGGER {}", quoted(name)))
            .map_err(fail)?;
    }
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    for table in &objects.tables {
        tx.execute_batch(&format!("DELETE FROM {}", quoted(&table.name)))
            .map_err(fail)?;
        rows.insert(table.name.clone(), 0);
    }
    let skipped = take_rows(dump, &tx, &objects, &mut rows)?;
    for (_, sql) in &objects.triggers {
        tx.execute_batch(sql).map_err(fail)?;
    }
    for index in &objects.full_text {
        let name = quoted(index);
        tx.execute_batch(&format!("INSERT INTO {name} ({name}) VALUES ('rebuild')"))
            .map_err(fail)?;
    }
    let ledger = check(&tx)?;
    tx.commit().map_err(fail)?;
    let problems = super::check(&db, "integrity_check")?;
    if !problems.is_empty() {
        return Err(format!(
            "the database made is not sound: {}",
            problems.join("; ")
        ));
    }
    Ok(Loaded {
        rows,
        skipped,
        ledger,
    })
}

/// Runs the dump's rows; returns how many statements were skipped.
fn take_rows(
    dump: impl BufRead,
    tx: &Transaction<'_>,
    objects: &Objects,
    rows: &mut BTreeMap<String, u64>,
) -> Result<u64, String> {
    let mut skipped = 0;
    for (number, statement) in (1..).zip(Statements::new(dump)) {
        let statement = statement?;
        let at = |e: String| format!("statement {number} ({}): {e}", preview(&statement));
        match target(&statement).map_err(at)? {
            Target::Skip => skipped += 1,
            Target::Table { name, insert } => {
                let ours = objects.tables.iter().any(|t| t.name == name);
                if !ours
                    && (tables::is_foreign(&name)
                        || objects
                            .full_text
                            .iter()
                            .any(|f| name.starts_with(f.as_str())))
                {
                    skipped += 1;
                    continue;
                }
                if !ours {
                    return Err(at(format!(
                        "the table {name} is not in this release's schema (version {})",
                        crate::SCHEMA_VERSION
                    )));
                }
                let changed = tx.execute(&statement, []).map_err(|e| at(e.to_string()))?;
                if insert {
                    *rows.entry(name).or_default() += changed as u64;
                }
            }
        }
    }
    Ok(skipped)
}

/// What a statement of a dump does.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Schema, pragmas, transactions: what the schema of record already does.
    Skip,
    /// Rows written into `name`: inserted, or completed by an update.
    Table { name: String, insert: bool },
}

/// Reads what a statement does from its first words.
fn target(statement: &str) -> Result<Target, String> {
    let mut words = Words(after_comments(statement));
    let first = words.next_word().to_ascii_uppercase();
    match first.as_str() {
        "PRAGMA" | "CREATE" | "DROP" | "DELETE" | "ANALYZE" | "BEGIN" | "COMMIT" | "END"
        | "ROLLBACK" | "SAVEPOINT" | "RELEASE" => Ok(Target::Skip),
        "INSERT" | "REPLACE" | "UPDATE" => {
            let insert = first != "UPDATE";
            let mut name = words.next_name();
            if name.eq_ignore_ascii_case("OR") {
                words.next_word();
                name = words.next_name();
            }
            if insert && name.eq_ignore_ascii_case("INTO") {
                name = words.next_name();
            }
            match name.is_empty() {
                true => Err("no table named".into()),
                false => Ok(Target::Table { name, insert }),
            }
        }
        _ => Err("not a statement a dump holds".into()),
    }
}

struct Words<'a>(&'a str);

impl Words<'_> {
    fn next_word(&mut self) -> String {
        let text = self.0.trim_start();
        let end = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        self.0 = &text[end..];
        text[..end].to_string()
    }

    /// An identifier, quoted ("x", `x`, [x]) or bare.
    fn next_name(&mut self) -> String {
        let text = self.0.trim_start();
        let close = match text.chars().next() {
            Some('"') => '"',
            Some('`') => '`',
            Some('[') => ']',
            _ => {
                self.0 = text;
                return self.next_word();
            }
        };
        let mut name = String::new();
        let mut chars = text[1..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == close {
                if close != ']' && chars.peek().map(|(_, n)| *n) == Some(close) {
                    chars.next();
                    name.push(c);
                    continue;
                }
                self.0 = &text[1 + i + c.len_utf8()..];
                return name;
            }
            name.push(c);
        }
        self.0 = "";
        name
    }
}

fn preview(statement: &str) -> String {
    let line = after_comments(statement).lines().next().unwrap_or("");
    match line.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_string(),
    }
}

/// The loaded database's version, foreign keys and ledger, before it is committed.
fn check(tx: &Transaction<'_>) -> Result<Verified, String> {
    let version = super::version(tx)?.ok_or("the dump holds no schema_meta row")?;
    if version != crate::SCHEMA_VERSION {
        return Err(format!(
            "the dump is at schema version {version}, this release at {}: load it with the \
             release of its version, or bring the D1 database to this one first \
             (scripts/migrate.sh --remote) and export it again",
            crate::SCHEMA_VERSION
        ));
    }
    let mut broken = tx
        .prepare("SELECT \"table\", parent FROM pragma_foreign_key_check LIMIT 5")
        .map_err(|e| e.to_string())?;
    let broken: Vec<(String, String)> = broken
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|e| e.to_string())?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    if let Some((table, parent)) = broken.first() {
        return Err(format!(
            "rows of {table} point at rows of {parent} the dump does not hold (the dump is not whole)"
        ));
    }
    let entries = crate::native::query(tx, &crate::funding::ledger::all_appended())?;
    let (verdict, _) = domain::ledger::verify_appended(&entries);
    verdict.map_err(|broken| {
        format!(
            "the public ledger's chain breaks at entry {} ({}): the dump is not whole",
            broken.seq, broken.reason
        )
    })
}

/// The statements of a dump, one at a time, read line by line (a dump may be larger than the
/// memory): a statement ends with the line that completes it, as SQLite's shell reads a file.
struct Statements<R> {
    lines: std::io::Lines<R>,
}

impl<R: BufRead> Statements<R> {
    fn new(dump: R) -> Self {
        Statements {
            lines: dump.lines(),
        }
    }
}

impl<R: BufRead> Iterator for Statements<R> {
    type Item = Result<String, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut statement = String::new();
        for line in self.lines.by_ref() {
            match line {
                Ok(line) => {
                    statement.push_str(&line);
                    statement.push('\n');
                    if complete(&statement) {
                        return Some(Ok(statement));
                    }
                }
                Err(error) => return Some(Err(error.to_string())),
            }
        }
        match after_comments(&statement).is_empty() {
            true => None,
            false => Some(Err(format!(
                "the dump ends inside a statement: {}",
                preview(&statement)
            ))),
        }
    }
}

/// Whether `sql` ends with a whole statement (SQLite's own test: quotes, comments and the
/// `BEGIN … END` of a trigger taken into account).
fn complete(sql: &str) -> bool {
    let Ok(text) = std::ffi::CString::new(sql) else {
        return false;
    };
    // SAFETY: sqlite3_complete only reads the NUL-terminated string, which outlives the call.
    unsafe { rusqlite::ffi::sqlite3_complete(text.as_ptr()) != 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_read_whole_across_lines_and_triggers() {
        let dump = "-- a comment; not a statement\nPRAGMA defer_foreign_keys=TRUE;\n\
            INSERT INTO \"zone\" (id) VALUES('a;b\nc');\n\
            CREATE TRIGGER t AFTER INSERT ON x BEGIN\n  UPDATE y SET n = 1;\nEND;\n";
        let found: Vec<String> = Statements::new(dump.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[1].contains("'a;b\nc'"));
        assert!(found[2].trim_end().ends_with("END;"));
        let cut = Statements::new("INSERT INTO zone VALUES('open".as_bytes()).last();
        assert!(cut.unwrap().is_err());
    }

    #[test]
    fn a_statement_says_which_table_it_writes() {
        let table = |name: &str, insert| {
            Ok(Target::Table {
                name: name.into(),
                insert,
            })
        };
        assert_eq!(
            target("INSERT INTO \"element\" (\"a\") VALUES(1);"),
            table("element", true)
        );
        assert_eq!(
            target("INSERT OR REPLACE INTO [we\"ird] VALUES(1)"),
            table("we\"ird", true)
        );
        assert_eq!(
            target("-- x\nUPDATE \"zone\"\"s\" SET a = 1"),
            table("zone\"s", false)
        );
        assert_eq!(target("insert into zone values(1)"), table("zone", true));
        assert_eq!(
            target("CREATE TABLE IF NOT EXISTS x (a);"),
            Ok(Target::Skip)
        );
        assert_eq!(target("DELETE FROM sqlite_sequence;"), Ok(Target::Skip));
        assert!(target("SELECT 1").is_err());
    }
}
