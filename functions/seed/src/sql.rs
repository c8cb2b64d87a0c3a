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

/// Rows grouped into statements of `per_statement` rows: `head rows… tail`.
pub fn statements(head: &str, rows: &[String], tail: &str, per_statement: usize) -> Vec<String> {
    rows.chunks(per_statement.max(1))
        .map(|chunk| format!("{head}{}{tail}\n", chunk.join(",\n")))
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
    }
}
