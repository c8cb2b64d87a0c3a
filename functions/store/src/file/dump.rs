//! `communs dump`: the database as SQL that `wrangler d1 execute --file` runs on a D1 database
//! holding the same release's schema (`scripts/migrate.sh --remote`), so that an instance can
//! leave one machine for Cloudflare. It replaces what the target holds: it drops the triggers,
//! empties every table, inserts every row (the rowids the full-text indexes point at included),
//! creates the triggers again and rebuilds the full-text indexes from their table, which D1's
//! own export cannot carry. Line breaks in text are spelt `char(10)`, so that a statement is one
//! line, and a row that would make a statement longer than D1 accepts is inserted short and
//! completed by updates.

use super::tables::{self, Objects, Table, quoted};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::io::Write;

/// D1 refuses statements longer than 100,000 bytes; this leaves room for the statement around a
/// value.
pub const MAX_STATEMENT: usize = 90_000;

/// A long value is written in pieces of at most this many bytes before quoting.
const PIECE: usize = 30_000;

/// What a dump wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dumped {
    /// Rows per table, in the order written.
    pub rows: Vec<(String, u64)>,
    /// Rows split over several statements for D1's limit.
    pub split: u64,
}

/// Writes the database file at `db` as SQL into the file `to` (whole, or not at all), while a
/// server may be writing.
pub fn to_file(db: &std::path::Path, to: &std::path::Path) -> Result<Dumped, String> {
    if !db.is_file() {
        return Err(format!("{}: no database there", db.display()));
    }
    let source = super::open_existing_for_reading(db)?;
    let partial = super::backup::sibling(to, ".partial");
    let io = |e: std::io::Error| format!("{}: {e}", partial.display());
    let written = std::fs::File::create(&partial)
        .map_err(io)
        .and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            let dumped = write(&source, &mut out)?;
            let file = out.into_inner().map_err(|e| io(e.into_error()))?;
            file.sync_all().map_err(io)?;
            Ok(dumped)
        });
    match written {
        Ok(dumped) => {
            std::fs::rename(&partial, to).map_err(|e| format!("{}: {e}", to.display()))?;
            Ok(dumped)
        }
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            Err(error)
        }
    }
}

/// Writes the database `db` as SQL into `out`.
pub fn write(db: &Connection, out: &mut dyn Write) -> Result<Dumped, String> {
    // One read transaction: every table as of one moment, while a server may go on writing.
    let snapshot = db.unchecked_transaction().map_err(|e| e.to_string())?;
    let db: &Connection = &snapshot;
    let objects = tables::read(db)?;
    let io = |e: std::io::Error| e.to_string();
    let version = super::version(db)?.ok_or("the database holds no schema_meta")?;
    writeln!(
        out,
        "-- Communs: every row of a database at schema version {version}, for a database at the \
         same version (communs load, or wrangler d1 execute --file). It replaces what that \
         database holds."
    )
    .map_err(io)?;
    writeln!(out, "PRAGMA defer_foreign_keys = TRUE;").map_err(io)?;
    for (name, _) in &objects.triggers {
        writeln!(out, "DROP TRIGGER IF EXISTS {};", quoted(name)).map_err(io)?;
    }
    for table in &objects.tables {
        writeln!(out, "DELETE FROM {};", quoted(&table.name)).map_err(io)?;
    }
    let mut dumped = Dumped {
        rows: Vec::new(),
        split: 0,
    };
    for table in &objects.tables {
        let (rows, split) = rows_of(db, table, out)?;
        dumped.rows.push((table.name.clone(), rows));
        dumped.split += split;
    }
    finish(&objects, out).map_err(io)?;
    Ok(dumped)
}

/// The triggers again, then the full-text indexes rebuilt from their table.
fn finish(objects: &Objects, out: &mut dyn Write) -> std::io::Result<()> {
    for (_, sql) in &objects.triggers {
        writeln!(out, "{};", one_line(sql))?;
    }
    for index in &objects.full_text {
        let name = quoted(index);
        writeln!(out, "INSERT INTO {name} ({name}) VALUES ('rebuild');")?;
    }
    Ok(())
}

/// A statement of the schema on one line: what reads a dump line by line gets it whole.
fn one_line(sql: &str) -> String {
    sql.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

/// Every row of `table` as INSERT statements; how many rows, and how many were split.
fn rows_of(db: &Connection, table: &Table, out: &mut dyn Write) -> Result<(u64, u64), String> {
    let columns = table.dumped_columns();
    let list = columns
        .iter()
        .map(|c| quoted(c))
        .collect::<Vec<_>>()
        .join(",");
    let select = format!(
        "SELECT {list} FROM {} ORDER BY {}",
        quoted(&table.name),
        match table.rowid || table.keys.is_empty() {
            true => "rowid".to_string(),
            false => table
                .keys
                .iter()
                .map(|k| quoted(k))
                .collect::<Vec<_>>()
                .join(","),
        }
    );
    let fail = |e: rusqlite::Error| format!("{}: {e}", table.name);
    let mut statement = db.prepare(&select).map_err(fail)?;
    let mut rows = statement.query([]).map_err(fail)?;
    let (mut count, mut split) = (0, 0);
    let into = format!("INSERT INTO {} ({list}) VALUES(", quoted(&table.name));
    while let Some(row) = rows.next().map_err(fail)? {
        let cells: Vec<String> = (0..columns.len())
            .map(|i| row.get_ref(i).map(literal))
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        let length: usize = into.len() + cells.iter().map(|c| c.len() + 1).sum::<usize>();
        let io = |e: std::io::Error| e.to_string();
        if length <= MAX_STATEMENT {
            writeln!(out, "{into}{});", cells.join(",")).map_err(io)?;
        } else {
            let key: Vec<String> = table
                .row_key()
                .iter()
                .map(|k| {
                    let at = columns.iter().position(|c| c == k).unwrap_or(0);
                    format!("{} = {}", quoted(k), cells[at])
                })
                .collect();
            let mut short = cells.clone();
            let mut rest = Vec::new();
            for (i, cell) in cells.iter().enumerate() {
                if cell.len() > PIECE
                    && let Ok(ValueRef::Text(text)) = row.get_ref(i)
                {
                    short[i] = "''".to_string();
                    rest.push((i, String::from_utf8_lossy(text).into_owned()));
                }
            }
            writeln!(out, "{into}{});", short.join(",")).map_err(io)?;
            for (i, text) in rest {
                for piece in pieces(&text, PIECE) {
                    writeln!(
                        out,
                        "UPDATE {} SET {col} = {col} || {} WHERE {};",
                        quoted(&table.name),
                        literal(ValueRef::Text(piece.as_bytes())),
                        key.join(" AND "),
                        col = quoted(&columns[i]),
                    )
                    .map_err(io)?;
                }
            }
            split += 1;
        }
        count += 1;
    }
    Ok((count, split))
}

/// `text` cut into pieces of at most `size` bytes, never inside a character.
fn pieces(text: &str, size: usize) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = size.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (piece, after) = rest.split_at(end);
        found.push(piece);
        rest = after;
    }
    found
}

/// A value as an SQL literal (an expression, for text with line breaks).
pub fn literal(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) if x.is_finite() => format!("{x:?}"),
        ValueRef::Real(x) if x > 0.0 => "9e999".to_string(),
        ValueRef::Real(_) => "-9e999".to_string(),
        ValueRef::Text(bytes) => {
            let mut spelt = String::from("'");
            for c in String::from_utf8_lossy(bytes).chars() {
                match c {
                    '\'' => spelt.push_str("''"),
                    '\n' => spelt.push_str("'||char(10)||'"),
                    '\r' => spelt.push_str("'||char(13)||'"),
                    c => spelt.push(c),
                }
            }
            spelt.push('\'');
            spelt
        }
        ValueRef::Blob(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            format!("X'{hex}'")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluated(db: &Connection, literal: &str) -> rusqlite::types::Value {
        db.query_row(&format!("SELECT {literal}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_literal_reads_back_as_the_value_it_spells() {
        use rusqlite::types::Value;
        let db = Connection::open_in_memory().unwrap();
        for value in [
            Value::Null,
            Value::Integer(-42),
            Value::Real(45.764),
            Value::Real(0.1 + 0.2),
            Value::Text("l'été\r\nà \\n Saint-Paul ; -- pas un commentaire".into()),
            Value::Text("a backslash \\ then n".into()),
            Value::Blob(vec![0, 255, 16]),
        ] {
            let spelt = literal(ValueRef::from(&value));
            assert!(!spelt.contains('\n'), "{spelt}");
            assert_eq!(evaluated(&db, &spelt), value, "{spelt}");
        }
    }

    #[test]
    fn pieces_never_cut_a_character() {
        let text = "é".repeat(10);
        let cut = pieces(&text, 3);
        assert_eq!(cut.concat(), text);
        assert!(cut.iter().all(|p| p.len() <= 3 && !p.is_empty()));
    }
}
