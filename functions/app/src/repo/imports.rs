//! Imports: a few reads for the whole file, then one batch that writes it all or nothing.

use super::{query, statement};
use crate::App;
use domain::error::ApiError;
use domain::import::placing::Served;
use domain::import::rows::{Place, Row};
use std::collections::{HashMap, HashSet};
use store::imports::{self as sql, reads};

/// The known communes among `codes`, with where they put an element.
pub async fn places(app: &App, codes: &[String]) -> Result<HashMap<String, Place>, ApiError> {
    let rows = query(app, reads::places(codes), "places").await?;
    Ok(rows.into_iter().map(|p| (p.code.clone(), p)).collect())
}

/// The (commune, postal code) pairs of `codes`.
pub async fn postal_codes(
    app: &App,
    codes: &[String],
) -> Result<HashSet<(String, String)>, ApiError> {
    let rows = query(app, reads::postal_codes(codes), "postal codes").await?;
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
    let rows = query(app, reads::existing(source, ids), "sources").await?;
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
        false => query(app, reads::served(&needs.postal_codes), "served").await?,
    };
    let candidates = match needs.cells.is_empty() {
        true => Vec::new(),
        false => query(app, reads::candidates(&needs.cells), "candidates").await?,
    };
    Ok((served, candidates))
}

pub async fn taken_slugs(app: &App, bases: &[String]) -> Result<Vec<String>, ApiError> {
    let rows = query(app, reads::taken_slugs(bases), "slugs").await?;
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
