//! Elements, tags and links.

use super::{Arg, Statement, all, first, int, opt_text, run, statement, text};
use crate::App;
use domain::element::input::ElementData;
use domain::element::view::ElementRow;
use domain::error::{ApiError, ErrorCode};
use serde::Deserialize;
use store::elements as sql;
pub use store::elements::Write;

pub async fn find(app: &App, id_or_slug: &str) -> Result<Option<ElementRow>, ApiError> {
    first(
        app,
        statement(sql::BY_ID_OR_SLUG, vec![text(id_or_slug)]),
        "element",
    )
    .await
}

/// Where an element's commune puts it.
#[derive(Deserialize)]
pub struct Placement {
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[serde(deserialize_with = "domain::row::flag")]
    postal_ok: bool,
}

/// The commune's zones and position; 400 on an unknown commune or a postal code not its own.
pub async fn placement(app: &App, data: &ElementData) -> Result<Placement, ApiError> {
    let args = vec![
        text(&data.commune_code),
        opt_text(data.postal_code.as_deref()),
    ];
    let found: Option<Placement> =
        first(app, statement(sql::COMMUNE_FOR_ELEMENT, args), "placement").await?;
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
    #[derive(Deserialize)]
    struct Row {
        slug: String,
    }
    let rows: Vec<Row> = all(app, statement(sql::SLUGS_LIKE, vec![text(base)]), "slugs").await?;
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
        let args = vec![text(write.id), text(creator), int(write.now)];
        batch.push(statement(sql::INSERT_CREATOR_ADMIN, args));
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
    run(
        app,
        statement(sql::DELETE, vec![text(id)]),
        "delete element",
    )
    .await
}

/// Runs one link statement on (element, person[, more]); whether it gave a row back (`LEAVE`
/// says so when the person left).
pub async fn link(app: &App, sql: &'static str, args: Vec<Arg>) -> Result<bool, ApiError> {
    let rows: Vec<serde_json::Value> = all(app, statement(sql, args), "element link").await?;
    Ok(!rows.is_empty())
}

#[derive(Deserialize, Default, Clone, Copy)]
pub struct RelationRow {
    #[serde(deserialize_with = "domain::row::flag")]
    pub member: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub admin: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub follows: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub pending: bool,
}

impl RelationRow {
    /// The relation the permission rules judge (`access::decide`).
    pub fn links(&self) -> domain::access::Relation {
        domain::access::Relation {
            element_admin: self.admin,
            member: self.member,
            author: false,
        }
    }

    pub fn membership(&self) -> domain::element::Membership {
        domain::element::Membership {
            member: self.member,
            admin: self.admin,
        }
    }
}

/// The elements a person is linked to, by name.
pub async fn links_of(app: &App, person: &str) -> Result<Vec<domain::space::LinkRow>, ApiError> {
    all(
        app,
        statement(sql::LINKS_OF_PERSON, vec![text(person)]),
        "links",
    )
    .await
}

pub async fn relation(app: &App, element: &str, person: &str) -> Result<RelationRow, ApiError> {
    let found = statement(sql::RELATION, vec![text(element), text(person)]);
    let row: Option<RelationRow> = first(app, found, "relation").await?;
    Ok(row.unwrap_or_default())
}

#[derive(Deserialize, serde::Serialize)]
pub struct MemberRow {
    pub person_id: String,
    pub display_name: Option<String>,
    #[serde(deserialize_with = "domain::row::flag")]
    pub is_admin: bool,
    #[serde(deserialize_with = "domain::row::flag")]
    pub pending: bool,
    pub roles: String,
    pub created_at: i64,
}

pub async fn members(app: &App, element: &str) -> Result<Vec<MemberRow>, ApiError> {
    all(app, statement(sql::MEMBERS, vec![text(element)]), "members").await
}

/// Changes a member; false when the person is not a member.
pub async fn update_member(
    app: &App,
    element: &str,
    person: &str,
    is_admin: Option<bool>,
    pending: Option<bool>,
    roles: Option<&str>,
) -> Result<bool, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        person_id: String,
    }
    let flag = |b: Option<bool>| b.map_or(Arg::Null, |b| int(b as i64));
    let args = vec![
        text(element),
        text(person),
        flag(is_admin),
        flag(pending),
        opt_text(roles),
    ];
    let row: Option<Row> = first(app, statement(sql::UPDATE_MEMBER, args), "update member").await?;
    Ok(row.is_some())
}
