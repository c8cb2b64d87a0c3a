//! The one search statement, written from a validated plan (`domain::search::Plan`): every
//! condition is an indexed equality, range or FTS match, and every value is a bound parameter.

use domain::element::Kind;
use domain::geo::{Bbox, Near, cover};
use domain::search::{Plan, Sort, TagsMode};
use domain::zone::ZoneKind;

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Int(i64),
    Real(f64),
}

const COLUMNS: &str = "e.id, e.slug, e.kind, e.type, e.name, e.short_description, e.lat, e.lon, \
     e.commune_code, c.name AS commune_name, e.tags, e.start_at, e.end_at, e.created_at, e.rowid AS seq";
/// Where the selected sort key goes, once the statement is written.
const SORT_KEY: &str = "{sort_key}";
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
                "SELECT {COLUMNS}, {SORT_KEY} AS rank FROM element_fts f JOIN element e ON e.rowid = f.rowid \
                 LEFT JOIN zone c ON c.id = 'commune:' || e.commune_code WHERE element_fts MATCH "
            );
            let p = sql.bind(Arg::Text(text.clone()));
            sql.text.push_str(&p);
        }
        None => {
            sql.text = format!(
                "SELECT {COLUMNS}, {SORT_KEY} AS rank FROM element e \
                 LEFT JOIN zone c ON c.id = 'commune:' || e.commune_code WHERE 1"
            );
        }
    }
    // A search by date names the kind itself (below); an `IN` beside it would lead SQLite's
    // planner, which has no statistics, away from the scope's index.
    let only_events = plan.events_only() && plan.kinds.contains(&Kind::Event);
    if !plan.kinds.is_empty() && !only_events {
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
    // The distance on the search's plane, squared (km²): filters the circle, orders by distance.
    let distance = plan.near.as_ref().map(|near| {
        let d = squared_distance(&mut sql, near);
        geohash_ranges(&mut sql, &near.bounds());
        within(&mut sql, &near.bounds());
        let r = sql.bind(Arg::Real(near.radius_km * near.radius_km));
        sql.and(&format!("{d} <= {r}"));
        d
    });
    if let Some(bbox) = &plan.bbox {
        geohash_ranges(&mut sql, bbox);
        within(&mut sql, bbox);
    }
    if plan.events_only() {
        sql.and("e.kind = 'event'");
        // `from` and `to` already leave out events without a start; said again, SQLite would
        // read the national index by start rather than the scope's.
        if plan.from.is_none() && plan.to.is_none() {
            sql.and("e.start_at IS NOT NULL");
        }
    }
    if let Some(from) = plan.from {
        let p = sql.bind(Arg::Int(from));
        sql.and(&format!("coalesce(e.end_at, e.start_at) >= {p}"));
    }
    if let Some(to) = plan.to {
        let p = sql.bind(Arg::Int(to));
        sql.and(&format!("e.start_at <= {p}"));
    }
    let (key, direction) = match (plan.sort, &distance) {
        (Sort::Recent, _) => ("e.created_at".to_string(), "DESC"),
        (Sort::Date, _) => ("e.start_at".into(), "ASC"),
        (Sort::Relevance, _) => (RANK.into(), "ASC"),
        (Sort::Distance, Some(d)) => (d.clone(), "ASC"),
        (Sort::Distance, None) => ("e.id".into(), "ASC"),
    };
    if let Some(cursor) = &plan.cursor {
        let value = match plan.sort {
            Sort::Relevance | Sort::Distance => Arg::Real(cursor.key),
            _ => Arg::Int(cursor.key as i64),
        };
        let k = sql.bind(value);
        let id = sql.bind(Arg::Int(cursor.row));
        let (after, id_after) = if direction == "DESC" {
            ("<", "<")
        } else {
            (">", ">")
        };
        sql.and(&format!(
            "({key} {after} {k} OR ({key} = {k} AND e.rowid {id_after} {id}))"
        ));
    }
    let limit = sql.bind(Arg::Int(plan.limit + 1));
    sql.text.push_str(&format!(
        " ORDER BY {key} {direction}, e.rowid {direction} LIMIT {limit}"
    ));
    // The `rank` column carries the real-valued sort key (bm25, or squared distance), which a
    // cursor must repeat exactly.
    let sort_key = match plan.sort {
        Sort::Relevance | Sort::Distance => key.as_str(),
        _ => "NULL",
    };
    (sql.text.replacen(SORT_KEY, sort_key, 1), sql.args)
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

/// `(Δlat·ky)² + (Δlon·kx)²`, as `Near::distance_km` computes it before the square root.
fn squared_distance(sql: &mut Sql, near: &Near) -> String {
    let (ky, kx) = near.scale();
    let [lat, lon, ky, kx] =
        [near.center.lat, near.center.lon, ky, kx].map(|v| sql.bind(Arg::Real(v)));
    format!(
        "(((e.lat - {lat}) * {ky}) * ((e.lat - {lat}) * {ky}) + ((e.lon - {lon}) * {kx}) * ((e.lon - {lon}) * {kx}))"
    )
}

/// The geohash index ranges covering the box: only these index entries are read. Written as
/// literals, not bound: D1 takes at most 100 parameters a statement, and a range is made of
/// base-32 characters (and `~`) only.
fn geohash_ranges(sql: &mut Sql, b: &Bbox) {
    let ranges: Vec<String> = cover::cover(b)
        .into_iter()
        .filter(|r| {
            [&r.lo, &r.hi]
                .iter()
                .all(|t| t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'~'))
        })
        .map(|r| format!("(e.geohash >= '{}' AND e.geohash < '{}')", r.lo, r.hi))
        .collect();
    sql.and(&format!("({})", ranges.join(" OR ")));
}

fn within(sql: &mut Sql, b: &Bbox) {
    let [s, n, w, e] = [b.south, b.north, b.west, b.east].map(|v| sql.bind(Arg::Real(v)));
    sql.and(&format!(
        "e.lat BETWEEN {s} AND {n} AND e.lon BETWEEN {w} AND {e}"
    ));
}
