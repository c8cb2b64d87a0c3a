//! Elements, tags and links.

use super::{Statement, query, query_first, run, statement};
use crate::App;
use domain::element::input::ElementData;
use domain::element::view::ElementRow;
use domain::error::{ApiError, ErrorCode};
use store::elements::{self as sql, element};
pub use store::elements::{LinkChange, MemberRow, Placement, RelationRow, Write};

pub async fn find(app: &App, id_or_slug: &str) -> Result<Option<ElementRow>, ApiError> {
    query_first(app, element::by_id_or_slug(id_or_slug), "element").await
}

/// The commune's zones and position; 400 on an unknown commune or a postal code not its own.
pub async fn placement(app: &App, data: &ElementData) -> Result<Placement, ApiError> {
    let asked = element::placement(&data.commune_code, data.postal_code.as_deref());
    let found = query_first(app, asked, "placement").await?;
    let placement =
        found.ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "address.commune_code"))?;
    if !placement.postal_ok {
        return Err(ApiError::on_field(
            ErrorCode::InvalidField,
            "address.postal_code",
        ));
    }
    Ok(placement)
}

pub async fn taken_slugs(app: &App, base: &str) -> Result<Vec<String>, ApiError> {
    let rows = query(app, element::slugs_like(base), "slugs").await?;
    Ok(rows.into_iter().map(|r| r.slug).collect())
}

/// The element's row and its tags, as one batch's statements.
fn written(write: &Write<'_>, sql: &'static str) -> Vec<Statement> {
    let mut batch = vec![statement(sql, write.args())];
    batch.extend(
        write
            .tags()
            .into_iter()
            .map(|(sql, args)| statement(sql, args)),
    );
    batch
}

/// Creates the element, its tags and its creator's admin link in one batch; 409 on `slug`
/// when another request took the slug first.
pub async fn create(app: &App, write: &Write<'_>) -> Result<(), ApiError> {
    let mut batch = written(write, sql::INSERT);
    if let Some(creator) = write.creator {
        batch.push(element::creator_admin(write.id, creator, write.now));
    }
    match app.db.batch(batch).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_conflict() => Err(ApiError::on_field(ErrorCode::Conflict, "slug")),
        Err(e) => Err(super::database_error("create element", e)),
    }
}

/// Updates the element and replaces its tags in one batch.
pub async fn update(app: &App, write: &Write<'_>) -> Result<(), ApiError> {
    super::batch(app, written(write, sql::UPDATE), "update element").await?;
    Ok(())
}

pub async fn delete(app: &App, id: &str) -> Result<(), ApiError> {
    run(app, element::delete(id), "delete element").await
}

/// A person follows, unfollows, joins or leaves the element; whether a leave applied (the
/// last active admin stays).
pub async fn link(
    app: &App,
    id: &str,
    person: &str,
    change: LinkChange,
    now: i64,
) -> Result<bool, ApiError> {
    let rows = query(app, element::link(id, person, change, now), "element link").await?;
    Ok(!rows.is_empty())
}

/// The elements a person is linked to, by name.
pub async fn links_of(app: &App, person: &str) -> Result<Vec<domain::space::LinkRow>, ApiError> {
    query(app, element::links_of(person), "links").await
}

pub async fn relation(app: &App, id: &str, person: &str) -> Result<RelationRow, ApiError> {
    let row = query_first(app, element::relation(id, person), "relation").await?;
    Ok(row.unwrap_or_default())
}

pub async fn members(app: &App, id: &str) -> Result<Vec<MemberRow>, ApiError> {
    query(app, element::members(id), "members").await
}

/// Changes a member; false when the person is not a member.
pub async fn update_member(
    app: &App,
    id: &str,
    person: &str,
    is_admin: Option<bool>,
    pending: Option<bool>,
    roles: Option<&str>,
) -> Result<bool, ApiError> {
    let changed = element::update_member(id, person, is_admin, pending, roles);
    Ok(query_first(app, changed, "update member").await?.is_some())
}
