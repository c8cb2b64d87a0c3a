//! What a dump carries and what a load rebuilds, read from the database itself rather than listed
//! by hand, so that a table added to `schema.sql` moves between hosts without a change here: the
//! tables that hold data (not SQLite's, D1's, or a full-text index's own), their columns, the
//! triggers (dropped while rows are copied, so that derived tables are copied as they were
//! rather than counted twice) and the full-text indexes to rebuild from their content table.

use rusqlite::Connection;

/// A table that holds data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    /// Stored columns, in order (generated ones are computed again on insert).
    pub columns: Vec<String>,
    /// The primary key's columns, in key order (empty when the table has none).
    pub keys: Vec<String>,
    /// Whether the table has a rowid of its own (not `WITHOUT ROWID`, no `INTEGER PRIMARY KEY`
    /// standing for it): a dump then keeps it, since the full-text indexes point at it.
    pub rowid: bool,
}

impl Table {
    /// The columns a dump writes: the rowid first when the table has its own.
    pub fn dumped_columns(&self) -> Vec<String> {
        let rowid = self.rowid.then(|| "rowid".to_string());
        rowid
            .into_iter()
            .chain(self.columns.iter().cloned())
            .collect()
    }

    /// What names one row in an UPDATE: its primary key, else its rowid.
    pub fn row_key(&self) -> Vec<String> {
        match self.keys.is_empty() {
            true => vec!["rowid".to_string()],
            false => self.keys.clone(),
        }
    }
}

/// The schema's objects a move between hosts deals with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objects {
    pub tables: Vec<Table>,
    /// Every trigger: its name and the statement that creates it.
    pub triggers: Vec<(String, String)>,
    /// Full-text indexes over a content table, rebuilt from it after a load.
    pub full_text: Vec<String>,
}

/// Whether a table belongs to SQLite, D1 or wrangler rather than to the product.
pub fn is_foreign(name: &str) -> bool {
    name.starts_with("sqlite_") || name.starts_with("_cf_") || name == "d1_migrations"
}

/// Quotes an identifier for SQL.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Reads the objects of the database `db`.
pub fn read(db: &Connection) -> Result<Objects, String> {
    let fail = |e: rusqlite::Error| e.to_string();
    let mut listed = db
        .prepare("SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main' ORDER BY name")
        .map_err(fail)?;
    let listed: Vec<(String, String, bool)> = listed
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(fail)?
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let mut tables = Vec::new();
    for (name, kind, without_rowid) in &listed {
        if kind != "table" || is_foreign(name) {
            continue;
        }
        tables.push(table(db, name, *without_rowid)?);
    }
    let mut triggers = db
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid")
        .map_err(fail)?;
    let triggers = triggers
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(fail)?
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let mut full_text = Vec::new();
    for (name, kind, _) in listed.iter().filter(|(_, kind, _)| kind == "virtual") {
        let sql: String = db
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .map_err(fail)?;
        let lower = sql.to_lowercase();
        let compact = lower.replace(' ', "");
        let rebuilt = compact.contains("fts5")
            && compact.contains("content=")
            && !compact.contains("content=''");
        if !rebuilt {
            return Err(format!(
                "the {kind} table {name} keeps its own content: it cannot be rebuilt after a move"
            ));
        }
        full_text.push(name.clone());
    }
    Ok(Objects {
        tables,
        triggers,
        full_text,
    })
}

fn table(db: &Connection, name: &str, without_rowid: bool) -> Result<Table, String> {
    let fail = |e: rusqlite::Error| format!("{name}: {e}");
    let mut info = db
        .prepare("SELECT name, type, pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid")
        .map_err(fail)?;
    let columns: Vec<(String, String, i64, i64)> = info
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .map_err(fail)?
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let mut keys: Vec<(i64, String)> = columns
        .iter()
        .filter(|c| c.2 > 0)
        .map(|c| (c.2, c.0.clone()))
        .collect();
    keys.sort();
    // An INTEGER PRIMARY KEY of one column is the rowid itself.
    let aliased = keys.len() == 1
        && columns
            .iter()
            .any(|c| c.2 == 1 && c.1.eq_ignore_ascii_case("integer"));
    Ok(Table {
        name: name.to_string(),
        // hidden: 0 stored, 1 a virtual table's hidden column, 2 and 3 generated.
        columns: columns
            .iter()
            .filter(|c| c.3 == 0)
            .map(|c| c.0.clone())
            .collect(),
        keys: keys.into_iter().map(|(_, name)| name).collect(),
        rowid: !without_rowid && !aliased,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_of_record_lists_its_tables_triggers_and_full_text_indexes() {
        let db = crate::native::fresh_in_memory();
        let objects = read(&db).unwrap();
        let element = objects.tables.iter().find(|t| t.name == "element").unwrap();
        assert!(element.rowid, "the full-text indexes point at its rowid");
        assert_eq!(element.dumped_columns()[0], "rowid");
        assert!(
            !element.columns.iter().any(|c| c == "search_keys"),
            "a generated column is computed again, never copied"
        );
        let cell = objects
            .tables
            .iter()
            .find(|t| t.name == "element_cell")
            .unwrap();
        assert!(!cell.rowid);
        assert_eq!(cell.row_key(), ["cell"]);
        let ledger = objects
            .tables
            .iter()
            .find(|t| t.name == "ledger_entry")
            .unwrap();
        assert!(!ledger.rowid, "seq is the rowid itself");
        assert!(ledger.columns.iter().any(|c| c == "seq"));
        let names: Vec<&str> = objects.tables.iter().map(|t| t.name.as_str()).collect();
        assert!(names.contains(&"schema_meta"));
        assert!(
            !names.iter().any(|n| n.starts_with("element_fts")),
            "{names:?}"
        );
        assert_eq!(objects.full_text, ["element_fts", "element_name_fts"]);
        assert!(
            objects
                .triggers
                .iter()
                .any(|(n, _)| n == "element_fts_insert")
        );
    }
}
