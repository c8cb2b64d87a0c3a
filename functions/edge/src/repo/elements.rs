//! Elements, tags and links in D1.

use super::{database_error, db, int, opt_text, statement, text};
use domain::element::input::ElementData;
use domain::element::view::ElementRow;
use domain::error::{ApiError, ErrorCode};
use serde::Deserialize;
use store::elements as sql;
pub use store::elements::Write;
use wasm_bindgen::JsValue;
use worker::Env;

pub async fn find(env: &Env, id_or_slug: &str) -> Result<Option<ElementRow>, ApiError> {
    super::first(env, sql::BY_ID_OR_SLUG, &[text(id_or_slug)], "element").await
}

/// Where an element's commune puts it.
#[derive(Deserialize)]
pub struct Placement {
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    postal_ok: i64,
}

/// The commune's zones and position; 400 on an unknown commune or a postal code not its own.
pub async fn placement(env: &Env, data: &ElementData) -> Result<Placement, ApiError> {
    let db = db(env)?;
    let args = [
        text(&data.commune_code),
        opt_text(data.postal_code.as_deref()),
    ];
    let found: Option<Placement> = statement(&db, sql::COMMUNE_FOR_ELEMENT, &args)?
        .first(None)
        .await
        .map_err(|e| database_error("placement", e))?;
    let placement =
        found.ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "address.commune_code"))?;
    if placement.postal_ok == 0 {
        return Err(ApiError::on_field(
            ErrorCode::InvalidField,
            "address.postal_code",
        ));
    }
    Ok(placement)
}

pub async fn taken_slugs(env: &Env, base: &str) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        slug: String,
    }
    let rows: Vec<Row> = super::all(env, sql::SLUGS_LIKE, &[text(base)], "slugs").await?;
    Ok(rows.into_iter().map(|r| r.slug).collect())
}

/// Creates the element, its tags and its creator's admin link in one batch.
pub async fn create(env: &Env, write: &Write<'_>) -> Result<(), ApiError> {
    let db = db(env)?;
    let mut batch = vec![statement(&db, sql::INSERT, &super::args(write.args()))?];
    for (sql, args) in write.tags() {
        batch.push(statement(&db, sql, &super::args(args))?);
    }
    if let Some(creator) = write.creator {
        batch.push(statement(
            &db,
            sql::INSERT_CREATOR_ADMIN,
            &[text(write.id), text(creator), int(write.now)],
        )?);
    }
    db.batch(batch).await.map_err(|e| {
        if e.to_string().contains("UNIQUE") {
            ApiError::on_field(ErrorCode::Conflict, "slug")
        } else {
            database_error("create element", e)
        }
    })?;
    Ok(())
}

/// Updates the element and replaces its tags in one batch.
pub async fn update(env: &Env, write: &Write<'_>) -> Result<(), ApiError> {
    let db = db(env)?;
    let mut batch = vec![statement(&db, sql::UPDATE, &super::args(write.args()))?];
    for (sql, args) in write.tags() {
        batch.push(statement(&db, sql, &super::args(args))?);
    }
    db.batch(batch)
        .await
        .map_err(|e| database_error("update element", e))?;
    Ok(())
}

/// Runs one statement on (element, person[, more]).
pub async fn run(env: &Env, sql: &str, args: &[JsValue]) -> Result<(), ApiError> {
    let db = db(env)?;
    statement(&db, sql, args)?
        .run()
        .await
        .map_err(|e| database_error("element link", e))?;
    Ok(())
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

#[derive(Deserialize, serde::Serialize)]
pub struct MemberRow {
    pub person_id: String,
    pub display_name: Option<String>,
    pub is_admin: i64,
    pub pending: i64,
    pub roles: String,
    pub created_at: i64,
}

pub async fn members(env: &Env, element: &str) -> Result<Vec<MemberRow>, ApiError> {
    super::all(env, sql::MEMBERS, &[text(element)], "members").await
}

pub async fn other_admins(env: &Env, element: &str, person: &str) -> Result<i64, ApiError> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    let db = db(env)?;
    let row: Option<Row> = statement(&db, sql::OTHER_ADMINS, &[text(element), text(person)])?
        .first(None)
        .await
        .map_err(|e| database_error("admins", e))?;
    Ok(row.map_or(0, |r| r.n))
}

/// Changes a member; false when the person is not a member.
pub async fn update_member(
    env: &Env,
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
    let flag = |b: Option<bool>| b.map_or(JsValue::NULL, |b| int(b as i64));
    let db = db(env)?;
    let args = [
        text(element),
        text(person),
        flag(is_admin),
        flag(pending),
        opt_text(roles),
    ];
    let row: Option<Row> = statement(&db, sql::UPDATE_MEMBER, &args)?
        .first(None)
        .await
        .map_err(|e| database_error("update member", e))?;
    Ok(row.is_some())
}
