//! Imports on D1: a few reads for the whole file, then one batch that writes it all or nothing.

use super::features::batch;
use super::{all, int, text};
use domain::error::ApiError;
use domain::import::rows::{Place, Row};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use store::imports as sql;
use worker::Env;

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The known communes among `codes`, with where they put an element.
pub async fn places(env: &Env, codes: &[String]) -> Result<HashMap<String, Place>, ApiError> {
    let rows: Vec<Place> = all(env, sql::PLACES, &[text(&json(&codes))], "places").await?;
    Ok(rows.into_iter().map(|p| (p.code.clone(), p)).collect())
}

/// The (commune, postal code) pairs of `codes`.
pub async fn postal_codes(
    env: &Env,
    codes: &[String],
) -> Result<HashSet<(String, String)>, ApiError> {
    #[derive(Deserialize)]
    struct Pair {
        commune_code: String,
        postal_code: String,
    }
    let rows: Vec<Pair> = all(
        env,
        sql::POSTAL_CODES,
        &[text(&json(&codes))],
        "postal codes",
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|p| (p.commune_code, p.postal_code))
        .collect())
}

/// Source id → element, for the records imported before from `source`.
pub async fn existing(
    env: &Env,
    source: &str,
    ids: &[&str],
) -> Result<HashMap<String, String>, ApiError> {
    #[derive(Deserialize)]
    struct Known {
        source_id: String,
        element_id: String,
    }
    let rows: Vec<Known> = all(
        env,
        sql::EXISTING,
        &[text(source), text(&json(&ids))],
        "sources",
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|k| (k.source_id, k.element_id))
        .collect())
}

pub async fn taken_slugs(env: &Env, bases: &[String]) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Slug {
        slug: String,
    }
    let rows: Vec<Slug> = all(env, sql::TAKEN_SLUGS, &[text(&json(&bases))], "slugs").await?;
    Ok(rows.into_iter().map(|s| s.slug).collect())
}

/// Writes the import in one batch: new elements (the importer their admin), updated ones,
/// their tags, and where each came from.
pub async fn write(
    env: &Env,
    source: &str,
    created: &[Row],
    updated: &[Row],
    person: &str,
    now: i64,
) -> Result<(), ApiError> {
    let (new, old) = (json(&created), json(&updated));
    let every = json(&created.iter().chain(updated).collect::<Vec<_>>());
    batch(
        env,
        &[
            (
                sql::INSERT_ELEMENTS,
                vec![text(&new), text(person), int(now)],
            ),
            (sql::UPDATE_ELEMENTS, vec![text(&old), int(now)]),
            (sql::DELETE_TAGS, vec![text(&every)]),
            (sql::INSERT_TAGS, vec![text(&every)]),
            (sql::INSERT_ADMINS, vec![text(&new), text(person), int(now)]),
            (
                sql::RECORD_SOURCES,
                vec![text(source), text(&every), int(now)],
            ),
        ],
        "import",
    )
    .await
}
