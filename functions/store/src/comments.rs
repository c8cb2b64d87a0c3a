//! Comments on an element, a proposal or a live post, their reports, and the motion about one.

use crate::db::{Count, Query, Statement, int, opt_text, text};
use crate::features::Id;

/// A comment as lists show it: its author's name only when they made it public.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CommentRow {
    /// Its place in the order comments came (the cursor of a page).
    pub seq: i64,
    pub id: String,
    pub target: String,
    pub author_id: String,
    pub author_name: Option<String>,
    pub reply_to: Option<String>,
    pub text: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub hidden_at: Option<i64>,
}

const SELECT: &str = "SELECT c.rowid AS seq, c.id, c.target, c.author_id, CASE WHEN EXISTS (SELECT 1 FROM \
     json_each(a.public_fields) WHERE value = 'display_name') THEN a.display_name END \
     AS author_name, c.reply_to, c.text, c.created_at, c.edited_at, c.hidden_at \
     FROM comment c JOIN person a ON a.id = c.author_id";

pub fn insert(
    id: &str,
    target: &str,
    author: &str,
    reply_to: Option<&str>,
    body: &str,
    now: i64,
) -> Statement {
    Statement::new(
        "INSERT INTO comment (id, target, author_id, reply_to, text, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        vec![
            text(id),
            text(target),
            text(author),
            opt_text(reply_to),
            text(body),
            int(now),
        ],
    )
}

pub fn by_id(id: &str) -> Query<CommentRow> {
    Query::new(format!("{SELECT} WHERE c.id = ?1"), vec![text(id)])
}

/// A target's visible comments in the order they came, after the cursor (a `seq`): one more
/// than `limit` tells there is a next page.
pub fn of_target(target: &str, after: Option<i64>, limit: i64) -> Query<CommentRow> {
    Query::new(
        format!(
            "{SELECT} WHERE c.target = ?1 AND c.hidden_at IS NULL AND c.rowid > ?2 \
             ORDER BY c.rowid LIMIT ?3"
        ),
        vec![text(target), int(after.unwrap_or(0)), int(limit + 1)],
    )
}

/// How many visible comments a target has (its pages say so).
pub fn count(target: &str) -> Query<Count> {
    Query::new(
        "SELECT count(*) AS n FROM comment WHERE target = ?1 AND hidden_at IS NULL",
        vec![text(target)],
    )
}

/// A person's comments (their export).
pub fn of_author(person: &str) -> Query<CommentRow> {
    Query::new(
        format!("{SELECT} WHERE c.author_id = ?1 ORDER BY c.rowid"),
        vec![text(person)],
    )
}

/// Changes the text (the handler checked who and when).
pub fn edit(id: &str, body: &str, now: i64) -> Statement {
    Statement::new(
        "UPDATE comment SET text = ?2, edited_at = ?3 WHERE id = ?1",
        vec![text(id), text(body), int(now)],
    )
}

/// Deletes a comment and its replies.
pub fn delete(id: &str) -> Statement {
    Statement::new("DELETE FROM comment WHERE id = ?1", vec![text(id)])
}

/// A person's report of a comment (a second one changes nothing).
pub fn report(comment: &str, person: &str, now: i64) -> Statement {
    Statement::new(
        "INSERT INTO comment_report (comment_id, person_id, at) VALUES (?1, ?2, ?3) \
         ON CONFLICT DO NOTHING",
        vec![text(comment), text(person), int(now)],
    )
}

pub fn reports(comment: &str) -> Query<Count> {
    Query::new(
        "SELECT count(*) AS n FROM comment_report WHERE comment_id = ?1",
        vec![text(comment)],
    )
}

/// The moderation motion about a comment, if one was opened.
pub fn motion_about(comment: &str) -> Query<Id> {
    Query::new(
        "SELECT id FROM proposal WHERE about_comment = ?1",
        vec![text(comment)],
    )
}

/// An adopted motion hides the comment.
pub fn hide(comment: &str, now: i64) -> Statement {
    Statement::new(
        "UPDATE comment SET hidden_at = ?2 WHERE id = ?1 AND hidden_at IS NULL",
        vec![text(comment), int(now)],
    )
}

/// Who may delete a target's comments besides their author: the admins of the element it is
/// on (an element's own comments, or a proposal's in that element's community).
pub fn admins_of(element: &str, person: &str) -> Query<Count> {
    Query::new(
        "SELECT count(*) AS n FROM link WHERE element_id = ?1 AND person_id = ?2 \
         AND kind = 'member' AND is_admin = 1 AND pending = 0",
        vec![text(element), text(person)],
    )
}
