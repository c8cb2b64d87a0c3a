//! The one search statement, written from a validated plan (`domain::search::Plan`): every
//! condition is an indexed equality, range or FTS match, and every value is a bound parameter.

use domain::search::{NEAR_CANDIDATES, Plan, Sort, TagsMode};
use domain::zone::ZoneKind;

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Int(i64),
    Real(f64),
}

const COLUMNS: &str = "e.id, e.slug, e.kind, e.type, e.name, e.short_description, e.lat, e.lon, \
     e.commune_code, c.name AS commune_name, e.tags, e.start_at, e.end_at, e.created_at";
/// Names weigh most, then tags, then the short description.
const RANK: &str = "bm25(element_fts, 10.0, 4.0, 1.0, 6.0)";

pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) args: Vec<Arg>,
}

impl Sql {
    /// Binds a value and returns its `?N`.
    pub(crate) fn bind(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("?{}", self.args.len())
    }

    fn binds(&mut self, args: impl IntoIterator<Item = Arg>) -> String {
        args.into_iter()
            .map(|a| self.bind(a))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn and(&mut self, condition: &str) {
        self.text.push_str(" AND ");
        self.text.push_str(condition);
    }
}

/// The statement and its arguments.
pub fn query(plan: &Plan) -> (String, Vec<Arg>) {
    let mut sql = Sql {
        text: String::new(),
        args: Vec::new(),
    };
    match &plan.text {
        Some(text) => {
            sql.text = format!(
                "SELECT {COLUMNS}, {RANK} AS rank FROM element_fts f JOIN element e ON e.rowid = f.rowid \
                 LEFT JOIN zone c ON c.id = 'commune:' || e.commune_code WHERE element_fts MATCH "
            );
            let p = sql.bind(Arg::Text(text.clone()));
            sql.text.push_str(&p);
        }
        None => {
            sql.text = format!(
                "SELECT {COLUMNS}, NULL AS rank FROM element e \
                 LEFT JOIN zone c ON c.id = 'commune:' || e.commune_code WHERE 1"
            );
        }
    }
    if !plan.kinds.is_empty() {
        let list = sql.binds(plan.kinds.iter().map(|k| Arg::Text(k.as_str().into())));
        sql.and(&format!("e.kind IN ({list})"));
    }
    if !plan.types.is_empty() {
        let list = sql.binds(plan.types.iter().map(|t| Arg::Text(t.clone())));
        sql.and(&format!("e.type IN ({list})"));
    }
    if !plan.tags.is_empty() {
        let list = sql.binds(plan.tags.iter().map(|t| Arg::Text(t.clone())));
        let condition = match plan.tags_mode {
            TagsMode::Any => {
                format!("e.id IN (SELECT element_id FROM element_tag WHERE tag IN ({list}))")
            }
            TagsMode::All => {
                let n = sql.bind(Arg::Int(plan.tags.len() as i64));
                format!(
                    "e.id IN (SELECT element_id FROM element_tag WHERE tag IN ({list}) \
                     GROUP BY element_id HAVING count(*) = {n})"
                )
            }
        };
        sql.and(&condition);
    }
    if !plan.scopes.is_empty() {
        let terms = scopes(&mut sql, &plan.scopes, "e");
        sql.and(&terms);
    }
    if let Some(near) = &plan.near {
        let cells: Vec<String> = near
            .cells()
            .into_iter()
            .map(|cell| {
                let upper = format!("{cell}~");
                let (lo, hi) = (sql.bind(Arg::Text(cell)), sql.bind(Arg::Text(upper)));
                format!("(e.geohash >= {lo} AND e.geohash < {hi})")
            })
            .collect();
        sql.and(&format!("({})", cells.join(" OR ")));
        within(&mut sql, &near.bounds());
    }
    if let Some(bbox) = &plan.bbox {
        within(&mut sql, bbox);
    }
    if plan.events_only() {
        sql.and("e.kind = 'event' AND e.start_at IS NOT NULL");
    }
    if let Some(from) = plan.from {
        let p = sql.bind(Arg::Int(from));
        sql.and(&format!("coalesce(e.end_at, e.start_at) >= {p}"));
    }
    if let Some(to) = plan.to {
        let p = sql.bind(Arg::Int(to));
        sql.and(&format!("e.start_at <= {p}"));
    }
    let (key, direction) = match plan.sort {
        Sort::Recent => ("e.created_at", "DESC"),
        Sort::Date => ("e.start_at", "ASC"),
        Sort::Relevance => (RANK, "ASC"),
        Sort::Distance => ("e.id", "ASC"),
    };
    // Distance pages are cut in the domain, after exact distances are known.
    if let Some(cursor) = plan.cursor.as_ref().filter(|_| plan.sort != Sort::Distance) {
        let value = match plan.sort {
            Sort::Relevance => Arg::Real(cursor.key),
            _ => Arg::Int(cursor.key as i64),
        };
        let k = sql.bind(value);
        let id = sql.bind(Arg::Text(cursor.id.clone()));
        let (after, id_after) = if direction == "DESC" {
            ("<", "<")
        } else {
            (">", ">")
        };
        sql.and(&format!(
            "({key} {after} {k} OR ({key} = {k} AND e.id {id_after} {id}))"
        ));
    }
    let limit = if plan.near.is_some() {
        NEAR_CANDIDATES
    } else {
        plan.limit + 1
    };
    let limit = sql.bind(Arg::Int(limit));
    let order = if plan.sort == Sort::Distance {
        "e.id ASC".to_string()
    } else {
        format!("{key} {direction}, e.id {direction}")
    };
    sql.text
        .push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
    (sql.text, sql.args)
}

/// Zones OR-ed together, each an equality on the zone column of its kind (`alias.commune_code`…).
pub(crate) fn scopes(sql: &mut Sql, zones: &[domain::zone::ZoneId], alias: &str) -> String {
    let terms: Vec<String> = zones
        .iter()
        .map(|zone| {
            let column = match zone.kind {
                ZoneKind::Commune => "commune_code",
                ZoneKind::Postal => "postal_code",
                ZoneKind::Departement => "departement",
                ZoneKind::Region => "region",
            };
            let p = sql.bind(Arg::Text(zone.code.clone()));
            format!("{alias}.{column} = {p}")
        })
        .collect();
    format!("({})", terms.join(" OR "))
}

fn within(sql: &mut Sql, b: &domain::geo::Bbox) {
    let [s, n, w, e] = [b.south, b.north, b.west, b.east].map(|v| sql.bind(Arg::Real(v)));
    sql.and(&format!(
        "e.lat BETWEEN {s} AND {n} AND e.lon BETWEEN {w} AND {e}"
    ));
}
