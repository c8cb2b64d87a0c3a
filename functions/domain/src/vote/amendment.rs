//! An amendment proposes a whole new text for a proposal while amendments are taken.

use crate::error::{ApiError, ErrorCode};

/// The longest text an amendment may propose, in characters (the proposal's own limit).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Its reason is kept to this many characters (the document says so: « coupée »).
pub const MAX_REASON_CHARS: usize = 2_000;

/// An amendment as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub text: String,
    pub reason: String,
}

/// The amendment of a proposal whose text is `current`: a new text, trimmed, not empty, at
/// most `MAX_TEXT_CHARS` and different from the current one (400 on `body`); its reason,
/// trimmed and cut to `MAX_REASON_CHARS`.
pub fn amendment(current: &str, text: &str, reason: &str) -> Result<Amendment, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS || text == current {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "body"));
    }
    Ok(Amendment {
        text: text.to_string(),
        reason: reason.trim().chars().take(MAX_REASON_CHARS).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amendment_proposes_another_text_within_its_limit() {
        let refused = |text: &str| amendment("Le texte.", text, "").unwrap_err().field;
        assert_eq!(refused("   ").as_deref(), Some("body"));
        assert_eq!(
            refused(" Le texte. ").as_deref(),
            Some("body"),
            "the same text"
        );
        assert_eq!(refused(&"a".repeat(20_001)).as_deref(), Some("body"));
        let kept = amendment("Le texte.", &"é".repeat(20_000), " parce que ").unwrap();
        assert_eq!(kept.text.chars().count(), 20_000);
        assert_eq!(kept.reason, "parce que");
    }

    #[test]
    fn a_long_reason_is_cut_not_refused() {
        let long = "r".repeat(3_000);
        let kept = amendment("Avant.", "Après.", &long).unwrap();
        assert_eq!(kept.reason.chars().count(), 2_000);
    }
}
