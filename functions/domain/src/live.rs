//! The live feed of a territory: the newest elements and short posts in a scope.

use crate::error::{ApiError, ErrorCode};
use crate::search::{Cursor, Sort};
use crate::zone::{ScopeRow, ZoneId, areas};
use serde::{Deserialize, Serialize};

pub const MAX_POST: usize = 1000;

/// `POST /api/posts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostInput {
    pub scope: String,
    pub text: String,
}

impl PostInput {
    /// The zone and the text, checked.
    pub fn check(self) -> Result<(ZoneId, String), ApiError> {
        let zone = ZoneId::parse(&self.scope)
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "scope"))?;
        let text = self.text.trim().to_string();
        let length = text.chars().count();
        if length == 0 || length > MAX_POST {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "text"));
        }
        Ok((zone, text))
    }
}

/// `GET /api/live?scope=…`: one or more scopes (OR-ed), a limit, a cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct LivePlan {
    pub scopes: Vec<ZoneId>,
    /// What the scopes stand for, once looked up (`resolve`); empty until then.
    pub areas: Vec<ZoneId>,
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

impl LivePlan {
    pub fn from_query(pairs: &[(String, String)]) -> Result<LivePlan, ApiError> {
        let scopes = pairs
            .iter()
            .filter(|(k, _)| k == "scope")
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| !v.trim().is_empty())
            .map(|s| {
                ZoneId::parse(s).ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "scope"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // No scope: the whole instance (France), newest first.
        if scopes.len() > 20 {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "scope"));
        }
        let one = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let limit = crate::paging::limit(one("limit").filter(|v| !v.is_empty()))?;
        let cursor = one("cursor")
            .filter(|v| !v.is_empty())
            .map(|c| Cursor::decode(c, Sort::Recent))
            .transpose()?;
        Ok(LivePlan {
            scopes,
            areas: Vec::new(),
            limit,
            cursor,
        })
    }
}

/// A feed row: an element or a post.
#[derive(Debug, Clone, Deserialize)]
pub struct LiveRow {
    pub item_type: String,
    pub id: String,
    pub slug: Option<String>,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub author: Option<String>,
    pub zone_id: Option<String>,
    pub commune_code: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveItem {
    /// `element` or `post`.
    #[serde(rename = "type")]
    pub item_type: String,
    pub id: String,
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The author's display name, when they made it public; otherwise "Un·e habitant·e".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commune_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LivePage {
    pub items: Vec<LiveItem>,
    pub next_cursor: Option<String>,
}

impl LivePlan {
    /// The scopes' rows are in (`store::zones::scopes`): what they stand for, or a 400
    /// `unknown_zone` for one the database does not know.
    pub fn resolve(&mut self, rows: &[ScopeRow]) -> Result<(), ApiError> {
        self.areas = areas(&self.scopes, rows, "scope")?;
        Ok(())
    }

    /// The zone columns the feed reads: its areas once resolved, else its scopes.
    pub fn zone_terms(&self) -> &[ZoneId] {
        if self.areas.is_empty() {
            &self.scopes
        } else {
            &self.areas
        }
    }

    /// The page from at most `limit + 1` rows, newest first.
    pub fn page(&self, mut rows: Vec<LiveRow>) -> LivePage {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next_cursor = more.then(|| rows.last()).flatten().map(|r| {
            Cursor {
                sort: Sort::Recent,
                key: r.created_at as f64,
                id: r.id.clone(),
                row: 0,
            }
            .encode()
        });
        let items = rows
            .into_iter()
            .map(|r| {
                let is_post = r.item_type == "post";
                LiveItem {
                    at: crate::time::rfc3339(r.created_at),
                    author: is_post.then(|| r.author.unwrap_or_else(|| "Un·e habitant·e".into())),
                    item_type: r.item_type,
                    id: r.id,
                    slug: r.slug,
                    kind: r.kind,
                    name: r.title,
                    text: r.text,
                    scope: r.zone_id,
                    commune_code: r.commune_code,
                }
            })
            .collect();
        LivePage { items, next_cursor }
    }
}

/// A feed's title, from the names of its zones: France when it has none.
pub fn feed_title(names: &[String]) -> String {
    match names {
        [] => "Le Live de Communs : toute la France".to_string(),
        names => format!("Le Live de Communs : {}", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_feed_s_scopes_are_valid_zones_or_none_for_the_whole_instance() {
        assert_eq!(
            LivePlan::from_query(&pairs("scope=commune:97415"))
                .unwrap()
                .scopes
                .len(),
            1
        );
        for q in ["", "scope="] {
            assert!(
                LivePlan::from_query(&pairs(q)).unwrap().scopes.is_empty(),
                "{q}"
            );
        }
        for q in ["scope=ville:x", "scope=commune:97415&limit=0"] {
            assert!(LivePlan::from_query(&pairs(q)).is_err(), "{q}");
        }
    }

    #[test]
    fn a_feed_is_titled_by_its_places_names() {
        assert_eq!(feed_title(&[]), "Le Live de Communs : toute la France");
        assert_eq!(
            feed_title(&["Lyon (69)".into(), "69003".into()]),
            "Le Live de Communs : Lyon (69), 69003"
        );
    }

    #[test]
    fn posts_are_short_texts_for_a_zone() {
        let ok = PostInput {
            scope: "commune:97415".into(),
            text: "  Bonjour !  ".into(),
        }
        .check()
        .unwrap();
        assert_eq!(ok.1, "Bonjour !");
        let long = "x".repeat(MAX_POST + 1);
        for (scope, text, field) in [
            ("commune:97415", "   ", "text"),
            ("commune:97415", long.as_str(), "text"),
            ("ici", "x", "scope"),
        ] {
            let error = PostInput {
                scope: scope.into(),
                text: text.into(),
            }
            .check()
            .unwrap_err();
            assert_eq!(error.field.as_deref(), Some(field));
        }
    }

    #[test]
    fn anonymous_authors_are_named_kindly_and_pages_chain() {
        let plan = LivePlan::from_query(&pairs("scope=commune:97415&limit=1")).unwrap();
        let row = |id: &str, at: i64| LiveRow {
            item_type: "post".into(),
            id: id.into(),
            slug: None,
            kind: None,
            title: None,
            text: Some("Salut".into()),
            author: None,
            zone_id: Some("commune:97415".into()),
            commune_code: Some("97415".into()),
            created_at: at,
        };
        let page = plan.page(vec![row("b", 20), row("a", 10)]);
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].author.as_deref(), Some("Un·e habitant·e"));
        let cursor = Cursor::decode(&page.next_cursor.unwrap(), Sort::Recent).unwrap();
        assert_eq!((cursor.key, cursor.id.as_str()), (20.0, "b"));
    }
}
