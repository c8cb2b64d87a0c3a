//! SQL literals and chunked multi-row statements.

/// A value as an SQL literal.
pub enum Lit<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(Option<i64>),
    Real(Option<f64>),
}

impl Lit<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Lit::Text(s) | Lit::OptText(Some(s)) => {
                out.push('\'');
                out.push_str(&s.replace('\'', "''"));
                out.push('\'');
            }
            Lit::Int(Some(n)) => out.push_str(&n.to_string()),
            // Six decimals of a degree is about 10 cm: more is noise.
            Lit::Real(Some(x)) => out.push_str(&format!("{x:.6}")),
            Lit::OptText(None) | Lit::Int(None) | Lit::Real(None) => out.push_str("NULL"),
        }
    }
}

/// `(a, b, c)`
pub fn row(values: &[Lit<'_>]) -> String {
    let mut out = String::from("(");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        value.write(&mut out);
    }
    out.push(')');
    out
}

/// D1 refuses statements over 100 kB; contours are large rows.
const MAX_STATEMENT_BYTES: usize = 90_000;

/// Rows grouped into statements of at most `per_statement` rows and about 90 kB:
/// `head rows… tail`.
pub fn statements(head: &str, rows: &[String], tail: &str, per_statement: usize) -> Vec<String> {
    let mut groups: Vec<Vec<&str>> = Vec::new();
    let mut bytes = 0;
    for row in rows {
        match groups.last_mut() {
            Some(group)
                if group.len() < per_statement.max(1)
                    && bytes + row.len() + head.len() < MAX_STATEMENT_BYTES =>
            {
                group.push(row);
                bytes += row.len() + 2;
            }
            _ => {
                groups.push(vec![row]);
                bytes = row.len();
            }
        }
    }
    groups
        .into_iter()
        .map(|group| format!("{head}{}{tail}\n", group.join(",\n")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted_and_nulls_spelled_out() {
        let r = row(&[
            Lit::Text("L'Étang-Salé"),
            Lit::OptText(None),
            Lit::Int(Some(42)),
            Lit::Real(Some(-21.009_611_1)),
            Lit::Real(None),
        ]);
        assert_eq!(r, "('L''Étang-Salé', NULL, 42, -21.009611, NULL)");
    }

    #[test]
    fn rows_are_grouped_into_statements() {
        let rows: Vec<String> = (0..5).map(|i| format!("({i})")).collect();
        let sql = statements("INSERT INTO t VALUES ", &rows, ";", 2);
        assert_eq!(sql.len(), 3);
        assert_eq!(sql[0], "INSERT INTO t VALUES (0),\n(1);\n");
        assert_eq!(sql[2], "INSERT INTO t VALUES (4);\n");
        let large: Vec<String> = (0..5)
            .map(|i| format!("('{}{i}')", "x".repeat(40_000)))
            .collect();
        let sql = statements("INSERT INTO t VALUES ", &large, ";", 200);
        assert_eq!(sql.len(), 3, "two large rows a statement at most");
        assert!(sql.iter().all(|s| s.len() < 100_000));
    }
}
