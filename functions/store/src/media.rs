//! Pictures: their rows (the bytes are in object storage, under `domain::media::file_name`).

use crate::db::{Query, Statement, int, text};
use domain::media::{Format, PictureRow, Role};

const COLUMNS: &str = "id, element_id, role, format, width, height, small_width, small_height, \
     alt, bytes, author_id, created_at";

/// A picture to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPicture<'a> {
    pub id: &'a str,
    pub element: &'a str,
    pub role: Role,
    pub format: Format,
    pub size: (u32, u32),
    pub small: (u32, u32),
    pub alt: &'a str,
    pub bytes: usize,
    pub author: &'a str,
    pub now: i64,
}

fn role(role: Role) -> crate::search::Arg {
    text(match role {
        Role::Logo => "logo",
        Role::Banner => "banner",
        Role::Photo => "photo",
    })
}

/// Records a picture; a logo also becomes what lists show of its element.
pub fn insert(p: &NewPicture) -> Vec<Statement> {
    let mut statements = vec![Statement::new(
        format!(
            "INSERT INTO picture ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ),
        vec![
            text(p.id),
            text(p.element),
            role(p.role),
            text(p.format.name()),
            int(p.size.0.into()),
            int(p.size.1.into()),
            int(p.small.0.into()),
            int(p.small.1.into()),
            text(p.alt),
            int(p.bytes as i64),
            text(p.author),
            int(p.now),
        ],
    )];
    if p.role == Role::Logo {
        let file = domain::media::file_name(p.id, p.format, p.small != p.size);
        statements.push(Statement::new(
            "UPDATE element SET logo = ?1 WHERE id = ?2",
            vec![text(&file), text(p.element)],
        ));
    }
    statements
}

/// One picture.
pub fn by_id(id: &str) -> Query<PictureRow> {
    Query::new(
        format!("SELECT {COLUMNS} FROM picture WHERE id = ?1"),
        vec![text(id)],
    )
}

/// An element's pictures, in the order they came.
pub fn of_element(element: &str) -> Query<PictureRow> {
    Query::new(
        format!(
            "SELECT {COLUMNS} FROM picture WHERE element_id = ?1 ORDER BY created_at, id LIMIT 200"
        ),
        vec![text(element)],
    )
}

/// An element's pictures of one role (the logo or banner a new one replaces).
pub fn of_role(element: &str, role_of: Role) -> Query<PictureRow> {
    Query::new(
        format!("SELECT {COLUMNS} FROM picture WHERE element_id = ?1 AND role = ?2"),
        vec![text(element), role(role_of)],
    )
}

/// The pictures a person added (their export; their erasure removes them).
pub fn of_author(person: &str) -> Query<PictureRow> {
    Query::new(
        format!("SELECT {COLUMNS} FROM picture WHERE author_id = ?1 ORDER BY created_at, id"),
        vec![text(person)],
    )
}

/// Forgets a picture whose files are gone; a logo leaves its element's lists, unless a newer
/// one took its place there already (a new logo replaces the old).
pub fn delete(id: &str) -> Vec<Statement> {
    vec![
        Statement::new(
            "UPDATE element SET logo = NULL \
             WHERE id = (SELECT element_id FROM picture WHERE id = ?1 AND role = 'logo') \
             AND substr(logo, 1, length(?1) + 1) IN (?1 || '.', ?1 || '-')",
            vec![text(id)],
        ),
        Statement::new("DELETE FROM picture WHERE id = ?1", vec![text(id)]),
    ]
}
