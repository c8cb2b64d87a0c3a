//! Search: from the query string to a plan — which conditions, which geohash cells, which
//! order, from where (cursor). The store turns the plan into SQL; nothing here knows SQL.

use crate::element::Kind;
use crate::error::{ApiError, ErrorCode};
use crate::geo::{Bbox, Near, Point, density};
use crate::text::fold;
use crate::zone::ZoneId;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

const MAX_VALUES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    Relevance,
    Distance,
    Date,
    Recent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsMode {
    Any,
    All,
}

/// Where the previous page stopped: the sort key of its last item, then what breaks ties: the
/// search's row number (every index carries it, so that a page is read in index order, never
/// sorted), or the live feed's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub sort: Sort,
    /// rowid (recent), start_at (date), tier (relevance: 0 in the name, 1 elsewhere), squared distance on the
    /// search's plane in km² (distance).
    pub key: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default)]
    pub row: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(raw: &str, sort: Sort) -> Result<Cursor, ApiError> {
        let invalid = || ApiError::on_field(ErrorCode::InvalidField, "cursor");
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.sort != sort || !cursor.key.is_finite() {
            return Err(invalid());
        }
        Ok(cursor)
    }
}

/// A validated search.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// An FTS5 query: every word of `q`, folded, quoted, the last one as a prefix (`words`).
    pub text: Option<String>,
    pub kinds: Vec<Kind>,
    pub types: Vec<String>,
    /// Folded tags.
    pub tags: Vec<String>,
    pub tags_mode: TagsMode,
    /// OR-ed together, as asked.
    pub scopes: Vec<ZoneId>,
    /// What the scopes stand for once the database has answered for them (`zone::areas`):
    /// each an equality on one zone column. Empty until then.
    pub areas: Vec<ZoneId>,
    pub near: Option<Near>,
    pub bbox: Option<Bbox>,
    /// Events overlapping [from, to] (Unix seconds).
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub sort: Sort,
    pub limit: i64,
    pub cursor: Option<Cursor>,
    /// For a search nearest first, the circle this statement reads (`first_window`).
    pub window: Option<Window>,
}

/// One circle of a search nearest first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub radius_km: f64,
    /// Elements a km² around the centre, as counted within `reach_km` of it.
    pub per_km2: f64,
    pub reach_km: f64,
    /// Ordered and cut to a page by SQLite (when the circle held too many rows to gather).
    pub sorted: bool,
}

impl Window {
    /// What the geohash index likely holds a km² over this circle, if the count says it: then
    /// the cover may read small gaps rather than pay a row for each range (`geo::cover`).
    pub fn density(&self) -> Option<f64> {
        (self.per_km2 > 0.0 && self.radius_km <= self.reach_km).then_some(self.per_km2)
    }
}

/// The smallest first circle: 20 m, a few doors on the densest street.
const MIN_WINDOW_KM: f64 = 0.02;

/// The first circle is sized for this many pages, against the unevenness of the density.
const PAGE_MARGIN: f64 = 1.4;

impl Plan {
    /// Reads the query string's pairs (repeated keys allowed), naming the faulty field.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Plan, ApiError> {
        // Each value once, in the order given: `kind=event&kind=event` is one kind.
        let all = |key: &str| -> Vec<&str> {
            let mut values: Vec<&str> = Vec::new();
            let given = pairs
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(_, v)| v.split(','))
                .map(str::trim)
                .filter(|v| !v.is_empty());
            for value in given {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
            values
        };
        let one = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim())
        };
        let invalid = |field: &str| ApiError::on_field(ErrorCode::InvalidField, field);
        for key in ["kind", "type", "tags", "scope"] {
            if all(key).len() > MAX_VALUES {
                return Err(invalid(key));
            }
        }

        let text = one("q")
            .filter(|q| !q.is_empty())
            .map(words::query)
            .transpose()?
            .flatten();
        let kinds = all("kind")
            .into_iter()
            .map(|k| Kind::parse(k).ok_or_else(|| invalid("kind")))
            .collect::<Result<Vec<_>, _>>()?;
        let types: Vec<String> = all("type").into_iter().map(str::to_string).collect();
        let tags: Vec<String> = all("tags")
            .into_iter()
            .map(fold)
            .filter(|t| !t.is_empty())
            .collect();
        let tags_mode = match one("tags_mode") {
            None | Some("") | Some("any") => TagsMode::Any,
            Some("all") => TagsMode::All,
            Some(_) => return Err(invalid("tags_mode")),
        };
        let scopes = all("scope")
            .into_iter()
            .map(|s| ZoneId::parse(s).ok_or_else(|| invalid("scope")))
            .collect::<Result<Vec<_>, _>>()?;
        let near = one("near")
            .filter(|v| !v.is_empty())
            .map(Near::parse)
            .transpose()?;
        let bbox = one("bbox")
            .filter(|v| !v.is_empty())
            .map(Bbox::parse)
            .transpose()?;
        let from = one("from")
            .filter(|v| !v.is_empty())
            .map(|v| date(v, "from", false))
            .transpose()?;
        let to = one("to")
            .filter(|v| !v.is_empty())
            .map(|v| date(v, "to", true))
            .transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(invalid("to"));
        }
        // Relevance without words, or distance without a centre, has nothing to order by: the
        // order the other parameters would give, as when no sort is asked.
        let sort = match one("sort") {
            Some("relevance") if text.is_some() => Sort::Relevance,
            Some("distance") if near.is_some() => Sort::Distance,
            Some("date") => Sort::Date,
            Some("recent") => Sort::Recent,
            None | Some("" | "relevance" | "distance") if near.is_some() => Sort::Distance,
            None | Some("" | "relevance" | "distance") if text.is_some() => Sort::Relevance,
            None | Some("" | "relevance" | "distance") if from.is_some() || to.is_some() => {
                Sort::Date
            }
            None | Some("" | "relevance" | "distance") => Sort::Recent,
            Some(_) => return Err(invalid("sort")),
        };
        let limit = crate::paging::limit(one("limit").filter(|v| !v.is_empty()))?;
        let cursor = one("cursor")
            .filter(|v| !v.is_empty())
            .map(|c| Cursor::decode(c, sort))
            .transpose()?;
        Ok(Plan {
            text,
            kinds,
            types,
            tags,
            tags_mode,
            scopes,
            areas: Vec::new(),
            near,
            bbox,
            from,
            to,
            sort,
            limit,
            cursor,
            window: None,
        })
    }

    /// The zone columns the search filters on: its areas once resolved, else its scopes.
    pub fn zone_terms(&self) -> &[ZoneId] {
        if self.areas.is_empty() {
            &self.scopes
        } else {
            &self.areas
        }
    }

    /// The centre of a search nearest first.
    pub fn nearest_first(&self) -> Option<Near> {
        self.near.filter(|_| self.sort == Sort::Distance)
    }

    /// A search nearest first reads one circle, sized to hold a page at the density around
    /// its centre: `counted` elements in the block of cells around it (`geo::density`). Only
    /// where this falls short does a wider circle follow (`next_window`). None for any other
    /// search (one statement).
    pub fn first_window(&self, counted: i64, block: &density::Block) -> Option<Window> {
        let near = self.nearest_first()?;
        let per_km2 = counted.max(0) as f64 / block.area_km2;
        // A later page lies beyond the cursor's row: the circle holds the nearer rows as well.
        let past = match &self.cursor {
            Some(cursor) => cursor.key.max(0.0),
            None => 0.0,
        };
        let radius = match counted > 0 {
            true => (past + PAGE_MARGIN * (self.limit + 1) as f64 / (PI * per_km2)).sqrt(),
            // Nothing in the block: start with a circle as large as the block.
            false => past.sqrt() + (block.area_km2 / PI).sqrt(),
        };
        Some(Window {
            radius_km: radius.clamp(MIN_WINDOW_KM.min(near.radius_km), near.radius_km),
            per_km2,
            reach_km: block.reach_km,
            sorted: false,
        })
    }

    /// The same search within the window's circle.
    pub fn within(&self, window: Window) -> Plan {
        let mut plan = self.clone();
        if let Some(near) = plan.near.as_mut() {
            near.radius_km = window.radius_km.min(near.radius_km);
        }
        plan.window = Some(window);
        plan
    }

    /// After a window gave `found` rows: the next, wider window, or None when these rows are
    /// the answer — a full page (every nearer element is inside the window, so they are the
    /// nearest), or the whole radius read. The next window is sized for a page at the density
    /// just seen (a circle's count grows with its area, and a fifth more for its unevenness).
    pub fn next_window(&self, window: Window, found: usize) -> Option<Window> {
        let radius = self.near?.radius_km;
        if found as i64 > self.limit || window.radius_km >= radius {
            return None;
        }
        // A count of a few says little of the density: growth stays within 4/3 and 4 times.
        let wanted = (self.limit + 1) as f64 / (found as f64).max(0.25);
        let grown = window.radius_km * (1.2 * wanted.sqrt()).clamp(4.0 / 3.0, 4.0);
        Some(Window {
            radius_km: grown.min(radius),
            ..window
        })
    }

    /// A window's statement returns every row of its circle, unsorted, up to this many: SQLite
    /// would read each row a second time to sort them. Past it, the window is read again sorted.
    pub fn window_rows(&self) -> i64 {
        4 * (self.limit + 1)
    }

    /// A window's rows, nearest first (then by rowid, as SQLite would order them), as many as
    /// a page and the one that says there is more.
    pub fn nearest(&self, mut rows: Vec<ResultRow>) -> Vec<ResultRow> {
        rows.sort_by(|a, b| {
            let key = |r: &ResultRow| r.rank.unwrap_or(f64::MAX);
            key(a).total_cmp(&key(b)).then(a.seq.cmp(&b.seq))
        });
        rows.truncate((self.limit + 1) as usize);
        rows
    }

    /// The kinds the search keeps: by date, events only (nothing when the kinds named leave
    /// them out, hence None); otherwise the kinds named (all when empty).
    pub fn kinds_kept(&self) -> Option<Vec<Kind>> {
        match self.events_only() {
            true if self.kinds.is_empty() || self.kinds.contains(&Kind::Event) => {
                Some(vec![Kind::Event])
            }
            true => None,
            false => Some(self.kinds.clone()),
        }
    }

    /// Date searches are about events only.
    pub fn events_only(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.sort == Sort::Date
    }
}

/// An RFC 3339 time, or a plain date (the day's start for `from`, its end for `to`).
fn date(value: &str, field: &str, end_of_day: bool) -> Result<i64, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.timestamp());
    }
    let day = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, field))?;
    let start = day
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .timestamp();
    Ok(if end_of_day { start + 86_399 } else { start })
}

/// A result row as the store returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct ResultRow {
    pub id: String,
    pub slug: String,
    pub kind: String,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: String,
    pub short_description: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub commune_code: String,
    pub commune_name: Option<String>,
    pub tags: String,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub created_at: i64,
    /// SQLite's rowid: the order of rows with equal sort keys.
    #[serde(default)]
    pub seq: i64,
    #[serde(default)]
    pub rank: Option<f64>,
    /// The logo's small file (`domain::media`), when it has one.
    #[serde(default)]
    pub logo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommuneRef {
    pub code: String,
    pub name: Option<String>,
}

/// One item of `GET /api/search`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub slug: String,
    pub kind: String,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: String,
    pub short_description: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub commune: CommuneRef,
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Its logo's small variant, from the site's root (`/media/…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// A page of results and where the next one starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub items: Vec<Item>,
    pub next_cursor: Option<String>,
}

impl Plan {
    /// The page from the rows the store returned, in order and already past the cursor: at
    /// most `limit + 1` of them, the last one only telling that there is more.
    pub fn page(&self, rows: Vec<ResultRow>) -> Page {
        let mut rows: Vec<(ResultRow, Option<f64>)> = rows
            .into_iter()
            .map(|r| {
                let d = self.near.and_then(|near| {
                    let p = Point {
                        lat: r.lat?,
                        lon: r.lon?,
                    };
                    Some(near.distance_km(&p))
                });
                (r, d)
            })
            .collect();
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next_cursor = more
            .then(|| rows.last().map(|(r, _)| self.cursor_after(r).encode()))
            .flatten();
        let items = rows.into_iter().map(|(r, d)| item(r, d)).collect();
        Page { items, next_cursor }
    }

    fn cursor_after(&self, row: &ResultRow) -> Cursor {
        let key = match self.sort {
            // Newest first is the order of addition.
            Sort::Recent => row.seq as f64,
            Sort::Date => row.start_at.unwrap_or(0) as f64,
            // The statement's own value, so that the next page starts exactly after this row.
            Sort::Relevance | Sort::Distance => row.rank.unwrap_or(0.0),
        };
        Cursor {
            sort: self.sort,
            key,
            id: String::new(),
            row: row.seq,
        }
    }
}

fn item(row: ResultRow, distance: Option<f64>) -> Item {
    Item {
        tags: serde_json::from_str(&row.tags).unwrap_or_default(),
        commune: CommuneRef {
            code: row.commune_code,
            name: row.commune_name,
        },
        distance_km: distance.map(|d| (d * 100.0).round() / 100.0),
        start: row.start_at.map(crate::time::rfc3339),
        end: row.end_at.map(crate::time::rfc3339),
        id: row.id,
        slug: row.slug,
        kind: row.kind,
        type_: row.type_,
        name: row.name,
        short_description: row.short_description,
        lat: row.lat,
        lon: row.lon,
        logo: row.logo.as_deref().map(crate::media::url),
    }
}

pub mod reads;
#[cfg(test)]
mod tests;
pub mod words;
