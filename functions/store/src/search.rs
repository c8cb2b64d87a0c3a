//! The one search statement, written from a validated plan (`domain::search::Plan`): every
//! condition is an indexed equality, range or FTS match, and every value is a bound parameter.

use domain::element::Kind;
use domain::geo::{Bbox, Near, cover};
use domain::search::words::{index_forms, quoted};
use domain::search::{Plan, Sort, TagsMode};
use domain::zone::ZoneKind;

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Int(i64),
    Real(f64),
    Null,
}

const COLUMNS: &str = "e.id, e.slug, e.kind, e.type, e.name, e.short_description, e.lat, e.lon, \
     e.commune_code, e.commune_name, e.tags, e.start_at, e.end_at, e.created_at, e.rowid AS seq, \
     e.logo";
/// Where the selected sort key goes, once the statement is written.
const SORT_KEY: &str = "{sort_key}";

/// The elements counted in the four cells around a `near` search's centre
/// (`domain::geo::density::block`): one row read a cell, by the primary key (an `IN` list
/// would read two). A search of some kinds (by date: of events) also reads how many placed
/// elements France holds of those kinds and in all (`kind_count`: a row a kind, one for all),
/// to scale the count by their share (`domain::search::reads::Counted`).
pub fn density(plan: &Plan, cells: [String; 4]) -> (String, Vec<Arg>) {
    let mut sql = Sql {
        text: String::new(),
        args: Vec::new(),
    };
    let counts: Vec<String> = cells
        .into_iter()
        .map(|cell| {
            let p = sql.bind(Arg::Text(cell));
            format!("coalesce((SELECT elements FROM element_cell WHERE cell = {p}), 0)")
        })
        .collect();
    sql.text = format!("SELECT {} AS elements", counts.join(" + "));
    let kinds = plan.kinds_kept().unwrap_or_default();
    if !kinds.is_empty() {
        let list = sql.binds(kinds.iter().map(|k| Arg::Text(k.as_str().into())));
        sql.text.push_str(&format!(
            ", (SELECT coalesce(sum(elements), 0) FROM kind_count WHERE kind IN ({list})) AS of_kinds, \
             coalesce((SELECT elements FROM kind_count WHERE kind = '*'), 0) AS placed"
        ));
    }
    (sql.text, sql.args)
}

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

/// The statement and its arguments. A search with words or tags (or kinds in a box) is driven
/// by the full-text index: words, tags (as phrases), scopes, kinds and map cells (as
/// tokens of `search_keys`) are one FTS5 query, which answers in rowid order, so the statement
/// stops at the page's end (or, nearest first, reads the matches of its circle's cells).
/// By relevance, names come first: two such queries, the words in the name, then elsewhere,
/// each newest first, the second read only when the first ends before the page does.
/// Any other search reads the scope's index (or the geohash index) in the answer's order.
pub fn query(plan: &Plan) -> (String, Vec<Arg>) {
    let anywhere = match_expression(plan, Words::Anywhere);
    let full_text = anywhere.is_some();
    let on_map = plan.near.is_some() || plan.bbox.is_some();
    let mut sql = Sql {
        text: String::new(),
        args: Vec::new(),
    };
    let map_kinds = map_kinds(plan, full_text);
    let distance = filters(&mut sql, plan, full_text, &map_kinds);
    let areas = plan.zone_terms();
    // Several zones read through the scope indexes are read one arm each (below); otherwise
    // they are one condition (the full-text query names them itself).
    let arms = !full_text && !on_map && areas.len() > 1;
    if !full_text && !arms && !areas.is_empty() {
        let terms = scopes(&mut sql, areas, "e");
        sql.and(&terms);
    }
    let tail = std::mem::take(&mut sql.text);
    if plan.sort == Sort::Relevance && plan.text.is_some() {
        tiers(&mut sql, plan, &tail);
        return (sql.text, sql.args);
    }
    let source = match anywhere {
        Some(expression) => {
            let p = sql.bind(Arg::Text(expression));
            format!("element_fts f JOIN element e ON e.rowid = f.rowid WHERE element_fts MATCH {p}")
        }
        // Without statistics, SQLite would rather read every event of France (`kind = ?`)
        // than a few geohash ranges: a search on the map reads the map's index, by kind when
        // it names kinds (`geohash_ranges` writes each range once a kind).
        None if on_map => match map_kinds.is_empty() {
            true => "element e INDEXED BY element_by_geohash WHERE 1".to_string(),
            false => "element e INDEXED BY element_by_kind_geohash WHERE 1".to_string(),
        },
        None => "element e WHERE 1".to_string(),
    };
    // The full-text index answers in rowid order, newest first.
    let row = if full_text { "f.rowid" } else { "e.rowid" };
    let (key, direction) = match (plan.sort, &distance) {
        (Sort::Recent | Sort::Relevance, _) => (None, "DESC"),
        (Sort::Date, _) => (Some("e.start_at".to_string()), "ASC"),
        (Sort::Distance, Some(d)) => (Some(d.clone()), "ASC"),
        (Sort::Distance, None) => (None, "ASC"),
    };
    let after = if direction == "DESC" { "<" } else { ">" };
    let resume = match &plan.cursor {
        Some(cursor) => {
            let r = sql.bind(Arg::Int(cursor.row));
            match &key {
                Some(key) => {
                    let value = match plan.sort {
                        Sort::Distance => Arg::Real(cursor.key),
                        _ => Arg::Int(cursor.key as i64),
                    };
                    let k = sql.bind(value);
                    format!(" AND ({key} {after} {k} OR ({key} = {k} AND {row} {after} {r}))")
                }
                None => format!(" AND {row} {after} {r}"),
            }
        }
        None => String::new(),
    };
    if arms {
        return compound(sql, plan, &tail, &resume, key.is_some(), direction);
    }
    sql.text = format!("SELECT {COLUMNS}, {SORT_KEY} AS rank FROM {source}{tail}{resume}");
    let order = match &key {
        Some(key) => format!("{key} {direction}, {row} {direction}"),
        None => format!("{row} {direction}"),
    };
    match plan.window {
        // A circle's rows, gathered in index order: the domain sorts them (`Plan::nearest`).
        Some(window) if !window.sorted => {
            let limit = sql.bind(Arg::Int(plan.window_rows()));
            sql.text.push_str(&format!(" LIMIT {limit}"));
        }
        _ => {
            let limit = sql.bind(Arg::Int(plan.limit + 1));
            sql.text
                .push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
        }
    }
    // The `rank` column carries the squared distance, which a cursor must repeat exactly.
    let sort_key = match (plan.sort, &key) {
        (Sort::Distance, Some(key)) => key.as_str(),
        _ => "NULL",
    };
    (sql.text.replacen(SORT_KEY, sort_key, 1), sql.args)
}

/// Several zones (a commune and its arrondissements, a postal code and the communes it serves)
/// read through the scope indexes: one arm a zone, each reading its index in the answer's order,
/// merged by SQLite (a compound select ordered as its arms are reads them in step and stops at
/// the page, where `commune_code IN (…)` would read and sort every match). `UNION` keeps an
/// element found by two arms once. Arms share the conditions' parameters.
fn compound(
    mut sql: Sql,
    plan: &Plan,
    tail: &str,
    resume: &str,
    by_start: bool,
    direction: &str,
) -> (String, Vec<Arg>) {
    let arms: Vec<String> = plan
        .zone_terms()
        .iter()
        .map(|zone| {
            let term = scopes(&mut sql, std::slice::from_ref(zone), "e");
            format!(
                "SELECT {COLUMNS}, NULL AS rank FROM element e WHERE 1{tail} AND {term}{resume}"
            )
        })
        .collect();
    let order = match by_start {
        true => format!("start_at {direction}, seq {direction}"),
        false => format!("seq {direction}"),
    };
    let limit = sql.bind(Arg::Int(plan.limit + 1));
    sql.text = union(arms, &order, &limit);
    (sql.text, sql.args)
}

/// D1 takes at most this many terms in a compound select (SQLite's default is 500).
pub(crate) const MAX_COMPOUND: usize = 5;

/// `arms` joined by `UNION`, ordered and cut to `limit`. Past D1's five terms, arms are
/// grouped five by five, each group a subquery ordered and cut to the same page (a subquery's
/// terms are counted apart), and the groups merged again: what each group reads stays a page.
pub(crate) fn union(arms: Vec<String>, order: &str, limit: &str) -> String {
    if arms.len() <= MAX_COMPOUND {
        return format!("{} ORDER BY {order} LIMIT {limit}", arms.join(" UNION "));
    }
    let groups: Vec<String> = arms
        .chunks(MAX_COMPOUND)
        .map(|group| match group {
            [one] => one.clone(),
            _ => format!("SELECT * FROM ({})", union(group.to_vec(), order, limit)),
        })
        .collect();
    union(groups, order, limit)
}

/// The conditions every branch of the statement shares (` AND …`), and the squared distance
/// when the search has a centre.
fn filters(sql: &mut Sql, plan: &Plan, full_text: bool, map_kinds: &[Kind]) -> Option<String> {
    // A search by date names the kind itself (below); an `IN` beside it would lead SQLite's
    // planner, which has no statistics, away from the scope's index.
    let only_events = plan.events_only() && plan.kinds.contains(&Kind::Event);
    if !plan.kinds.is_empty() && !only_events && !full_text && map_kinds.is_empty() {
        let list = sql.binds(plan.kinds.iter().map(|k| Arg::Text(k.as_str().into())));
        sql.and(&format!("e.kind IN ({list})"));
    }
    if !plan.types.is_empty() {
        let list = sql.binds(plan.types.iter().map(|t| Arg::Text(t.clone())));
        sql.and(&format!("e.type IN ({list})"));
    }
    if !plan.tags.is_empty() {
        // The phrases found candidates; the folded tags decide (a tag « vélo » is not
        // « vélo électrique »). One lookup a candidate, by the tag table's primary key.
        let list = sql.binds(plan.tags.iter().map(|t| Arg::Text(t.clone())));
        let tagged = format!(
            "(SELECT count(*) FROM element_tag t WHERE t.element_id = e.id AND t.tag IN ({list}))"
        );
        sql.and(&match plan.tags_mode {
            TagsMode::Any => format!("{tagged} > 0"),
            TagsMode::All => format!("{tagged} = {}", plan.tags.len()),
        });
    }
    // The distance on the search's plane, squared (km²): filters the circle, orders by distance.
    let distance = plan.near.as_ref().map(|near| {
        let d = squared_distance(sql, near);
        geohash_ranges(
            sql,
            cover::around(near, plan.window.and_then(|w| w.density())),
            map_kinds,
        );
        within(sql, &near.bounds());
        let r = sql.bind(Arg::Real(near.radius_km * near.radius_km));
        sql.and(&format!("{d} <= {r}"));
        d
    });
    if let Some(bbox) = &plan.bbox {
        geohash_ranges(sql, cover::cover(bbox), map_kinds);
        within(sql, bbox);
    }
    if plan.events_only() && map_kinds.is_empty() {
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
    distance
}

/// The kinds a search on the map that the full-text index does not drive (nearest first, or by
/// date) reads from the map's index by kind, each geohash range once a kind (`geohash_ranges`);
/// none for any other search. A kind beside them as a condition of its own would lead SQLite
/// to read every element of that kind.
fn map_kinds(plan: &Plan, full_text: bool) -> Vec<Kind> {
    if full_text || (plan.near.is_none() && plan.bbox.is_none()) {
        return Vec::new();
    }
    // When the kinds named leave out the events a date search keeps, the conditions of
    // `filters` find nothing, as elsewhere.
    plan.kinds_kept().unwrap_or_default()
}

/// By relevance: the words in the name (rank 0, from the index of names), then elsewhere
/// (rank 1), each newest first.
/// SQLite reads the second branch only when the first ends before the limit. FTS5 ranks every
/// match before answering in `rank` order (30 ms for 4,000 matches), where rowid order stops
/// at the page's end.
fn tiers(sql: &mut Sql, plan: &Plan, tail: &str) {
    // A cursor from before tiers (a negative bm25 rank) resumes in the first.
    let from_tier = plan
        .cursor
        .as_ref()
        .map_or(0, |c| usize::from(c.key >= 0.5));
    let limit = sql.bind(Arg::Int(plan.limit + 1));
    let branches: Vec<String> = [Words::InName, Words::Elsewhere]
        .into_iter()
        .enumerate()
        .skip(from_tier)
        .filter_map(|(tier, words)| {
            let expression = match_expression(plan, words)?;
            let index = match words {
                Words::InName => "element_name_fts",
                _ => "element_fts",
            };
            let m = sql.bind(Arg::Text(expression));
            let after = match &plan.cursor {
                Some(cursor) if tier == from_tier => {
                    format!(" AND f.rowid < {}", sql.bind(Arg::Int(cursor.row)))
                }
                _ => String::new(),
            };
            Some(format!(
                "SELECT * FROM (SELECT {COLUMNS}, {tier}.0 AS rank FROM {index} f \
                 JOIN element e ON e.rowid = f.rowid WHERE {index} MATCH {m}{tail}{after} \
                 ORDER BY f.rowid DESC LIMIT {limit})"
            ))
        })
        .collect();
    sql.text = format!("{} LIMIT {limit}", branches.join(" UNION ALL "));
}

/// Where the words of `q` are looked for.
#[derive(Clone, Copy)]
enum Words {
    Anywhere,
    /// In the index of names (`element_name_fts`), which has no tags: the tag table decides.
    InName,
    /// Anywhere, but not all of them in the name.
    Elsewhere,
}

/// The FTS5 query of a search with words or tags (or kinds in a box): the words in the text
/// columns, each tag as a phrase of the tags column, scopes, kinds and map cells as tokens of
/// `search_keys` (`c69123`, `d2a`, `korganization`, `gu05kq`*, as the generated column writes
/// them). None for any other search.
fn match_expression(plan: &Plan, words: Words) -> Option<String> {
    let any = |terms: Vec<String>| format!("({})", terms.join(" OR "));
    // Each tag as the phrases its words may be indexed as; None when one has too many forms
    // (then the folded tags alone decide, without the full-text index).
    let tags: Option<Vec<String>> = plan
        .tags
        .iter()
        .map(|t| index_forms(t).map(|forms| any(forms.iter().map(|f| quoted(f)).collect())))
        .collect();
    let tags = tags.filter(|t| !t.is_empty());
    // A kind alone in a box (or around a point but not nearest first) is read newest first:
    // the full-text index stops at the page, where the map's index would read the whole box.
    let kinds_on_map =
        !plan.kinds.is_empty() && plan.nearest_first().is_none() && key_cells(plan).is_some();
    // More zones newest first than one compound select takes (Lyon and its arrondissements, a
    // rural postal code and its communes): the full-text index merges their tokens' lists in
    // rowid order and stops at the page, where grouped arms each read a page before their
    // merge (measured at 10,000 elements: Lyon 52 rows read for 21, was 83; 51300 and its 46
    // communes 89, was 247). Up to five, arms read less (69100: 24, against 44).
    let zones_newest_first = plan.zone_terms().len() > MAX_COMPOUND
        && plan.sort == Sort::Recent
        && plan.near.is_none()
        && plan.bbox.is_none()
        && !plan.events_only();
    if plan.text.is_none() && tags.is_none() && !kinds_on_map && !zones_newest_first {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(text) = &plan.text {
        let anywhere = format!("{{name short_description description tags}} : ({text})");
        parts.push(match words {
            Words::Anywhere => anywhere,
            Words::InName => format!("name : ({text})"),
            Words::Elsewhere => format!("({anywhere} NOT name : ({text}))"),
        });
    }
    if let Some(tags) = tags.filter(|_| !matches!(words, Words::InName)) {
        let joined = match plan.tags_mode {
            TagsMode::Any => format!("({})", tags.join(" OR ")),
            TagsMode::All => format!("({})", tags.join(" AND ")),
        };
        parts.push(format!("tags : {joined}"));
    }
    if !plan.zone_terms().is_empty() {
        let tokens = plan.zone_terms().iter().map(|zone| {
            let prefix = match zone.kind {
                ZoneKind::Commune => "c",
                ZoneKind::Postal => "p",
                ZoneKind::Departement => "d",
                ZoneKind::Region => "r",
            };
            quoted(&format!("{prefix}{}", zone.code))
        });
        parts.push(format!("search_keys : {}", any(tokens.collect())));
    }
    if !plan.kinds.is_empty() {
        let tokens = plan
            .kinds
            .iter()
            .map(|k| quoted(&format!("k{}", k.as_str())));
        parts.push(format!("search_keys : {}", any(tokens.collect())));
    }
    if let Some(cells) = key_cells(plan) {
        let prefixes = cells
            .iter()
            .map(|cell| format!("{}*", quoted(&format!("g{cell}"))));
        parts.push(format!("search_keys : {}", any(prefixes.collect())));
    }
    Some(parts.join(" AND "))
}

/// The map cells a search around a point (its current circle) or in a box covers, as its
/// elements' search keys name them (` gu05kq5`): the full-text index then reads the matches
/// there only, not in all of France.
fn key_cells(plan: &Plan) -> Option<Vec<String>> {
    match (&plan.near, &plan.bbox) {
        (Some(near), _) => cover::key_cells_around(near),
        (None, Some(bbox)) => cover::key_cells(bbox),
        (None, None) => None,
    }
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

/// The geohash index ranges covering the box or circle: only these index entries are read,
/// once for each kind when the search names kinds (`element_by_kind_geohash`). Written as
/// literals, not bound: D1 takes at most 100 parameters a statement, a range is made of base-32
/// characters (and `~`) only, and a kind is one of the domain's.
fn geohash_ranges(sql: &mut Sql, ranges: Vec<cover::Range>, kinds: &[Kind]) {
    let ranges: Vec<String> = ranges
        .into_iter()
        .filter(|r| {
            [&r.lo, &r.hi]
                .iter()
                .all(|t| t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'~'))
        })
        .map(|r| format!("e.geohash >= '{}' AND e.geohash < '{}'", r.lo, r.hi))
        .collect();
    let terms: Vec<String> = match kinds {
        [] => ranges.iter().map(|r| format!("({r})")).collect(),
        kinds => kinds
            .iter()
            .flat_map(|k| {
                ranges
                    .iter()
                    .map(move |r| format!("(e.kind = '{}' AND {r})", k.as_str()))
            })
            .collect(),
    };
    sql.and(&any_of(&terms));
}

/// `terms` OR-ed as a balanced tree: D1 refuses an expression deeper than 100, and SQLite
/// parses `a OR b OR c …` as a chain as deep as it is long (five kinds × twenty ranges would
/// not pass). The planner flattens nested ORs all the same.
fn any_of(terms: &[String]) -> String {
    match terms {
        [] => "0".to_string(),
        [term] => term.clone(),
        _ => {
            let (left, right) = terms.split_at(terms.len() / 2);
            format!("({} OR {})", any_of(left), any_of(right))
        }
    }
}

fn within(sql: &mut Sql, b: &Bbox) {
    let [s, n, w, e] = [b.south, b.north, b.west, b.east].map(|v| sql.bind(Arg::Real(v)));
    sql.and(&format!(
        "e.lat BETWEEN {s} AND {n} AND e.lon BETWEEN {w} AND {e}"
    ));
}
