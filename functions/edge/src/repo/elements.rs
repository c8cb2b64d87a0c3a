//! Elements, tags and links in D1.

use super::{database_error, db, statement, text};
use domain::element::view::ElementRow;
use domain::error::ApiError;
use serde::Deserialize;
use store::elements as sql;
use worker::Env;

pub async fn find(env: &Env, id_or_slug: &str) -> Result<Option<ElementRow>, ApiError> {
    super::first(env, sql::BY_ID_OR_SLUG, &[text(id_or_slug)], "element").await
}

#[derive(Deserialize, Default, Clone, Copy)]
pub struct RelationRow {
    pub member: i64,
    pub admin: i64,
    pub follows: i64,
    pub pending: i64,
}

/// The elements a person is linked to, by name.
pub async fn links_of(env: &Env, person: &str) -> Result<Vec<domain::space::LinkRow>, ApiError> {
    super::all(env, sql::LINKS_OF_PERSON, &[text(person)], "links").await
}

pub async fn relation(env: &Env, element: &str, person: &str) -> Result<RelationRow, ApiError> {
    let db = db(env)?;
    let row: Option<RelationRow> = statement(&db, sql::RELATION, &[text(element), text(person)])?
        .first(None)
        .await
        .map_err(|e| database_error("relation", e))?;
    Ok(row.unwrap_or_default())
}
