//! Comments (commentaires) on elements, events, proposals and live posts: what may be commented,
//! what a comment may say and become, and how its plain text is shown — every character escaped,
//! links made clickable, line breaks kept — so that nobody's words can carry markup or script.

use crate::error::{ApiError, ErrorCode};
use linkify::{LinkFinder, LinkKind};

/// At most this many characters a comment.
pub const MAX_CHARS: usize = 2_000;

/// Its author may change it this long after writing it (seconds).
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;

/// What a comment is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An element (an event is one).
    Element(String),
    Proposal(String),
    /// A live post.
    Post(String),
}

impl Target {
    /// `element:<id>`, `proposal:<id>` or `post:<id>`; 400 on `target` otherwise.
    pub fn parse(text: &str) -> Result<Target, ApiError> {
        let invalid = || ApiError::on_field(ErrorCode::InvalidField, "target");
        // As the OpenAPI document's pattern says: nothing around it.
        let (kind, id) = text.split_once(':').ok_or_else(invalid)?;
        let well_formed = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !well_formed {
            return Err(invalid());
        }
        match kind {
            "element" => Ok(Target::Element(id.to_string())),
            "proposal" => Ok(Target::Proposal(id.to_string())),
            "post" => Ok(Target::Post(id.to_string())),
            _ => Err(invalid()),
        }
    }

    /// As stored and answered.
    pub fn as_string(&self) -> String {
        match self {
            Target::Element(id) => format!("element:{id}"),
            Target::Proposal(id) => format!("proposal:{id}"),
            Target::Post(id) => format!("post:{id}"),
        }
    }
}

/// A comment's text, trimmed: 1 to `MAX_CHARS` characters as sent, not only blanks; 400 on
/// `text`.
pub fn text(input: &str) -> Result<String, ApiError> {
    let text = input.trim();
    match text.is_empty() || input.chars().count() > MAX_CHARS {
        true => Err(ApiError::on_field(ErrorCode::InvalidField, "text")),
        false => Ok(text.replace("\r\n", "\n")),
    }
}

/// A reply answers a comment of the same target that is not itself a reply (one level of
/// replies); 400 on `reply_to` otherwise. `parent`: the comment answered, as found (its target,
/// and what it replies to).
pub fn reply(target: &Target, parent: Option<(&str, Option<&str>)>) -> Result<(), ApiError> {
    let invalid = || ApiError::on_field(ErrorCode::InvalidField, "reply_to");
    match parent {
        Some((parent_target, None)) if parent_target == target.as_string() => Ok(()),
        _ => Err(invalid()),
    }
}

/// Whether its author may still change it.
pub fn editable(created_at: i64, now: i64) -> bool {
    now - created_at <= EDIT_WINDOW_SECS
}

/// The text as HTML: everything escaped, web links (http, https) made into links that neither
/// pass on the page's authority nor reach back into it, line breaks kept.
pub fn html(text: &str) -> String {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    let mut out = String::with_capacity(text.len() + 16);
    for span in finder.spans(text) {
        let part = span.as_str();
        let web = part.starts_with("https://") || part.starts_with("http://");
        match span.kind() {
            Some(LinkKind::Url) if web => {
                let shown = escape(part);
                out.push_str(&format!(
                    "<a href=\"{shown}\" rel=\"nofollow ugc noopener noreferrer\">{shown}</a>"
                ));
            }
            _ => out.push_str(&escape(part)),
        }
    }
    out.replace('\n', "<br>\n")
}

/// `text` with the five characters that mean something in HTML written as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_is_shown_as_text_and_a_link_becomes_one() {
        let shown = html(
            "<script>alert('x')</script> Voir https://communs.example/e/vrac?x=1&y=2 \"cité\" !\nMerci",
        );
        assert!(!shown.contains("<script>"), "{shown}");
        assert!(
            shown.starts_with("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            "{shown}"
        );
        assert!(
            shown.contains(
                "<a href=\"https://communs.example/e/vrac?x=1&amp;y=2\" rel=\"nofollow ugc noopener noreferrer\">"
            ),
            "{shown}"
        );
        assert!(
            shown.ends_with("</a> &quot;cité&quot; !<br>\nMerci"),
            "{shown}"
        );
    }

    #[test]
    fn only_web_links_are_made_clickable() {
        let shown = html("javascript:alert(1) et (https://a.fr/b).");
        assert!(!shown.contains("href=\"javascript"), "{shown}");
        assert!(
            shown.contains("(<a href=\"https://a.fr/b\""),
            "the parenthesis is not the link's"
        );
        assert!(shown.ends_with("</a>)."), "{shown}");
    }

    #[test]
    fn targets_texts_replies_and_the_edit_window() {
        assert_eq!(
            Target::parse("element:e_1").unwrap(),
            Target::Element("e_1".into())
        );
        assert_eq!(Target::parse("post:p_9").unwrap().as_string(), "post:p_9");
        for bad in [
            "element:",
            "ballot:x",
            "element:a b",
            "proposal:<x>",
            "nothing",
        ] {
            assert_eq!(
                Target::parse(bad).unwrap_err().field.as_deref(),
                Some("target"),
                "{bad}"
            );
        }
        assert_eq!(text("  Bonjour\r\nà tous ").unwrap(), "Bonjour\nà tous");
        assert!(text("   ").is_err());
        assert!(text(&"é".repeat(MAX_CHARS)).is_ok());
        assert!(text(&"é".repeat(MAX_CHARS + 1)).is_err());

        let target = Target::Element("e_1".into());
        assert!(reply(&target, Some(("element:e_1", None))).is_ok());
        let nested = reply(&target, Some(("element:e_1", Some("c_1")))).unwrap_err();
        assert_eq!(
            nested.field.as_deref(),
            Some("reply_to"),
            "one level of replies"
        );
        assert!(
            reply(&target, Some(("post:p_1", None))).is_err(),
            "another target's comment"
        );
        assert!(reply(&target, None).is_err(), "an unknown comment");

        assert!(editable(1_000, 1_000 + EDIT_WINDOW_SECS));
        assert!(!editable(1_000, 1_001 + EDIT_WINDOW_SECS));
    }
}

/// `?cursor=` read back (the last comment's place, as the page before gave it); 400 on
/// `cursor` when it is not one of ours.
pub fn after(cursor: &str) -> Result<i64, ApiError> {
    let digits =
        !cursor.is_empty() && cursor.len() <= 18 && cursor.bytes().all(|b| b.is_ascii_digit());
    digits
        .then(|| cursor.parse().ok())
        .flatten()
        .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "cursor"))
}

#[cfg(test)]
mod cursor_tests {
    #[test]
    fn a_cursor_reads_back_and_a_foreign_one_is_refused() {
        assert_eq!(super::after("1700").unwrap(), 1700);
        for bad in ["", "x", "+5", "17.5", "1234567890123456789"] {
            assert_eq!(
                super::after(bad).unwrap_err().field.as_deref(),
                Some("cursor")
            );
        }
    }
}
