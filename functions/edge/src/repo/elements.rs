//! Elements, tags and links in D1.

use super::text;
use domain::error::ApiError;
use store::elements as sql;
use worker::Env;

/// The elements a person is linked to, by name.
pub async fn links_of(env: &Env, person: &str) -> Result<Vec<domain::space::LinkRow>, ApiError> {
    super::all(env, sql::LINKS_OF_PERSON, &[text(person)], "links").await
}
