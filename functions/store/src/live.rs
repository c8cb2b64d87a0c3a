//! Posts and the live feed.

use crate::search::{Arg, Sql, scopes, union};
use domain::live::LivePlan;

/// A post, placed by its zone; nothing is returned when the zone does not exist.
/// ?1 id, ?2 author id, ?3 text, ?4 now, ?5 zone id
pub const INSERT_POST: &str = "INSERT INTO post (id, author_id, zone_id, commune_code, postal_code, \
     departement, region, text, created_at) \
     SELECT ?1, ?2, z.id, CASE z.kind WHEN 'commune' THEN z.code END, \
     CASE z.kind WHEN 'postal' THEN z.code END, z.departement, z.region, ?3, ?4 \
     FROM zone z WHERE z.id = ?5 RETURNING id";

/// The newest elements and posts of the plan's areas (its scopes, and what they stand for:
/// `zone::areas`), merged, newest first. Each area is an arm of its own, for elements and for
/// posts, limited to a page before the merge, so that each reads its index and only what a
/// page can show; `UNION` keeps once an element two arms find.
pub fn query(plan: &LivePlan) -> (String, Vec<Arg>) {
    let mut sql = Sql {
        text: String::new(),
        args: Vec::new(),
    };
    let (element_after, post_after) = match &plan.cursor {
        Some(cursor) => {
            let at = sql.bind(Arg::Int(cursor.key as i64));
            let id = sql.bind(Arg::Text(cursor.id.clone()));
            (
                format!(" AND (e.created_at < {at} OR (e.created_at = {at} AND e.id < {id}))"),
                format!(" AND (p.created_at < {at} OR (p.created_at = {at} AND p.id < {id}))"),
            )
        }
        None => (String::new(), String::new()),
    };
    let limit = sql.bind(Arg::Int(plan.limit + 1));
    // No scope: one arm a table, over the whole instance (by `created_at`).
    let whole = [None];
    let terms: Vec<Option<&domain::zone::ZoneId>> = match plan.zone_terms() {
        [] => whole.to_vec(),
        areas => areas.iter().map(Some).collect(),
    };
    let mut arms = Vec::new();
    for area in &terms {
        let element_scope = area.map_or("1".into(), |a| {
            scopes(&mut sql, std::slice::from_ref(a), "e")
        });
        arms.push(format!(
            "SELECT * FROM (SELECT 'element' AS item_type, e.id, e.slug, e.kind, e.name AS title, \
             e.short_description AS text, NULL AS author, NULL AS zone_id, e.commune_code, e.created_at \
             FROM element e WHERE {element_scope}{element_after} \
             ORDER BY e.created_at DESC, e.id DESC LIMIT {limit})"
        ));
    }
    for area in &terms {
        let post_scope = area.map_or("1".into(), |a| {
            scopes(&mut sql, std::slice::from_ref(a), "p")
        });
        arms.push(format!(
            "SELECT * FROM (SELECT 'post' AS item_type, p.id, NULL AS slug, NULL AS kind, NULL AS title, \
             p.text, CASE WHEN EXISTS (SELECT 1 FROM json_each(a.public_fields) WHERE value = 'display_name') \
             THEN a.display_name END AS author, p.zone_id, p.commune_code, p.created_at \
             FROM post p JOIN person a ON a.id = p.author_id \
             WHERE p.hidden_at IS NULL AND {post_scope}{post_after} \
             ORDER BY p.created_at DESC, p.id DESC LIMIT {limit})"
        ));
    }
    sql.text = union(arms, "created_at DESC, id DESC", &limit);
    (sql.text, sql.args)
}

/// A post written in its zone: its id back, nothing when the zone does not exist.
pub fn insert_post(
    id: &str,
    author: &str,
    zone: &str,
    body: &str,
    now: i64,
) -> crate::db::Query<crate::features::Id> {
    use crate::db::{int, text};
    let args = vec![text(id), text(author), text(body), int(now), text(zone)];
    crate::db::Query::new(INSERT_POST, args)
}
