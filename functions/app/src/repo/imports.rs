//! Imports: a few reads for the whole file, then one batch that writes it all or nothing.

use super::{all, statement, text};
use crate::App;
use domain::error::ApiError;
use domain::import::placing::Served;
use domain::import::rows::{Place, Row};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use store::imports as sql;

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The known communes among `codes`, with where they put an element.
pub async fn places(app: &App, codes: &[String]) -> Result<HashMap<String, Place>, ApiError> {
    let rows: Vec<Place> = all(
        app,
        statement(sql::PLACES, vec![text(&json(&codes))]),
        "places",
    )
    .await?;
    Ok(rows.into_iter().map(|p| (p.code.clone(), p)).collect())
}

/// The (commune, postal code) pairs of `codes`.
pub async fn postal_codes(
    app: &App,
    codes: &[String],
) -> Result<HashSet<(String, String)>, ApiError> {
    #[derive(Deserialize)]
    struct Pair {
        commune_code: String,
        postal_code: String,
    }
    let found = statement(sql::POSTAL_CODES, vec![text(&json(&codes))]);
    let rows: Vec<Pair> = all(app, found, "postal codes").await?;
    Ok(rows
        .into_iter()
        .map(|p| (p.commune_code, p.postal_code))
        .collect())
}

/// Source id → element, for the records imported before from `source`; and the source ids
/// whose element a person changed since.
pub async fn existing(
    app: &App,
    source: &str,
    ids: &[&str],
) -> Result<(HashMap<String, String>, HashSet<String>), ApiError> {
    #[derive(Deserialize)]
    struct Known {
        source_id: String,
        element_id: String,
        #[serde(deserialize_with = "domain::row::flag")]
        edited: bool,
    }
    let found = statement(sql::EXISTING, vec![text(source), text(&json(&ids))]);
    let rows: Vec<Known> = all(app, found, "sources").await?;
    let edited = rows
        .iter()
        .filter(|k| k.edited)
        .map(|k| k.source_id.clone())
        .collect();
    Ok((
        rows.into_iter()
            .map(|k| (k.source_id, k.element_id))
            .collect(),
        edited,
    ))
}

/// The communes an import's unplaced rows may stand in (`import::placing`): those their
/// postal codes serve, and those whose contour may hold their positions.
pub async fn placing(
    app: &App,
    needs: &domain::import::placing::Needs,
) -> Result<(Vec<Served>, Vec<domain::zone::ZoneRow>), ApiError> {
    let served = match needs.postal_codes.is_empty() {
        true => Vec::new(),
        false => {
            let served = vec![text(&json(&needs.postal_codes))];
            all(app, statement(store::zones::SERVED, served), "served").await?
        }
    };
    let candidates = match needs.cells.is_empty() {
        true => Vec::new(),
        false => {
            let cells = vec![text(&json(&needs.cells))];
            let found = statement(store::zones::CANDIDATES_IN_CELLS, cells);
            all(app, found, "candidates").await?
        }
    };
    Ok((served, candidates))
}

pub async fn taken_slugs(app: &App, bases: &[String]) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Slug {
        slug: String,
    }
    let found = statement(sql::TAKEN_SLUGS, vec![text(&json(&bases))]);
    let rows: Vec<Slug> = all(app, found, "slugs").await?;
    Ok(rows.into_iter().map(|s| s.slug).collect())
}

/// Writes the import in one batch (`store::imports::write`).
pub async fn write(
    app: &App,
    source: &str,
    created: &[Row],
    updated: &[Row],
    person: &str,
    now: i64,
) -> Result<(), ApiError> {
    let steps = sql::write(source, created, updated, Some(person), now)
        .into_iter()
        .map(|(sql, args)| statement(sql, args))
        .collect();
    super::batch(app, steps, "import").await?;
    Ok(())
}
