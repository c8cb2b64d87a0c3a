//! The discussion page (`/discussion/?sujet=…`): a target's comments with their replies, and the
//! forms that write, answer, change, delete and report them — all plain forms, no JavaScript.

use crate::pages::Layout;
use askama::Template;

/// One comment as its reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentItem {
    pub id: String,
    pub author: String,
    pub when: String,
    /// The text as safe HTML (`domain::comment::html`: everything escaped, web links made links).
    pub html: String,
    pub edited: bool,
    /// A reply whose comment is on an earlier page.
    pub answers_earlier: bool,
    /// The text as written, for its author's change form.
    pub text: String,
    pub can_edit: bool,
    pub can_delete: bool,
    pub replies: Vec<CommentItem>,
}

#[derive(Template)]
#[template(path = "discussion.html")]
pub struct DiscussionPage {
    pub layout: Layout,
    /// `element:<id>`, as the forms send it back.
    pub target: String,
    pub title: String,
    /// The page of what is discussed.
    pub back: String,
    pub items: Vec<CommentItem>,
    pub count: i64,
    pub signed_in: bool,
    /// Whether replies may be written (not to a reply).
    pub next: Option<String>,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
    /// A text refused, given back as written.
    pub kept: String,
}

impl DiscussionPage {
    /// The page's comments threaded: each reply under its comment when both are on the page.
    pub fn threaded(flat: Vec<(Option<String>, CommentItem)>) -> Vec<CommentItem> {
        let mut items: Vec<CommentItem> = Vec::new();
        for (reply_to, mut item) in flat {
            match reply_to {
                Some(parent) => match items.iter_mut().find(|i| i.id == parent) {
                    Some(head) => head.replies.push(item),
                    None => {
                        item.answers_earlier = true;
                        items.push(item);
                    }
                },
                None => items.push(item),
            }
        }
        items
    }

    /// What a `fait=` after a redirect says.
    pub fn notice_of(done: Option<&str>) -> Option<&'static str> {
        match done? {
            "commente" => Some("Votre commentaire est publié."),
            "modifie" => Some("Votre commentaire est corrigé."),
            "supprime" => Some("Le commentaire est supprimé."),
            "signale" => Some(
                "Merci : votre signalement est enregistré. Au troisième, la communauté vote pour masquer ce contenu.",
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str) -> CommentItem {
        CommentItem {
            id: id.into(),
            author: "Camille".into(),
            when: "hier".into(),
            html: "<script>".replace('<', "&lt;"),
            edited: false,
            answers_earlier: false,
            text: String::new(),
            can_edit: false,
            can_delete: false,
            replies: Vec::new(),
        }
    }

    #[test]
    fn replies_sit_under_their_comment_and_an_orphan_says_so() {
        let threaded = DiscussionPage::threaded(vec![
            (None, item("a")),
            (Some("a".into()), item("b")),
            (Some("gone".into()), item("c")),
        ]);
        assert_eq!(threaded.len(), 2);
        assert_eq!(threaded[0].replies[0].id, "b");
        assert!(threaded[1].answers_earlier);
        let page = DiscussionPage {
            layout: Layout::at(""),
            target: "element:e1".into(),
            title: "Vrac".into(),
            back: "/e/vrac/".into(),
            items: threaded,
            count: 3,
            signed_in: true,
            next: None,
            notice: None,
            error: None,
            kept: String::new(),
        };
        let html = page.render().unwrap();
        assert!(html.contains("&lt;script>") && !html.contains("<script>alert"));
        assert!(
            html.contains("name=\"reply_to\" value=\"a\""),
            "a comment may be answered"
        );
        assert!(
            !html.contains("name=\"reply_to\" value=\"b\""),
            "a reply may not"
        );
    }
}
