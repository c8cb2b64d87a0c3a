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
