//! Elements, tags and links.

use super::{first, statement, text};
use crate::App;
use domain::element::view::ElementRow;
use domain::error::ApiError;
use store::elements as sql;

pub async fn find(app: &App, id_or_slug: &str) -> Result<Option<ElementRow>, ApiError> {
    first(
        app,
        statement(sql::BY_ID_OR_SLUG, vec![text(id_or_slug)]),
        "element",
    )
    .await
}

/// The elements a person follows, belongs to, looks after or asked to join.
pub async fn links_of(app: &App, person: &str) -> Result<Vec<domain::space::LinkRow>, ApiError> {
    let links = statement(sql::LINKS_OF_PERSON, vec![text(person)]);
    super::all(app, links, "links").await
}
