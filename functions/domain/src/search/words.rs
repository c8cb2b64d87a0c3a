//! The words of `q` as an FTS5 query, written for the index's tokenizer (unicode61, diacritics
//! removed) and its prefix indexes (`prefix = '3 … 12'` in schema.sql).

use crate::error::{ApiError, ErrorCode};
use crate::text::fold;

/// The shortest last word searched as a prefix: shorter ones (« le », « à ») would match
/// thousands of words, so they are searched whole.
pub const MIN_PREFIX: usize = 3;
/// The longest prefix the index holds. A longer last word is searched by its first twelve
/// letters: whole, it would make FTS5 merge the lists of every word it begins, which costs
/// as much as reading them all; its first twelve letters are one list of the prefix index.
pub const MAX_PREFIX: usize = 12;

/// `q` as an FTS5 query: folded words, each quoted (so no FTS syntax gets through) in every
/// form the index may hold, all required; the last one a prefix so that results come while
/// typing. None when nothing searchable is left.
pub fn query(q: &str) -> Result<Option<String>, ApiError> {
    if q.chars().count() > 200 {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "q"));
    }
    let folded = fold(q);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let Some(last) = words.len().checked_sub(1) else {
        return Ok(None);
    };
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let prefix = i == last && word.chars().count() >= MIN_PREFIX;
            let forms = index_forms(word).unwrap_or_else(|| vec![word.to_string()]);
            let phrases: Vec<String> = forms
                .iter()
                .map(|form| match prefix {
                    true => format!(
                        "{}*",
                        quoted(&form.chars().take(MAX_PREFIX).collect::<String>())
                    ),
                    false => quoted(form),
                })
                .collect();
            match phrases.as_slice() {
                [one] => one.clone(),
                _ => format!("({})", phrases.join(" OR ")),
            }
        })
        .collect();
    Ok(Some(terms.join(" AND ")))
}

/// Whether the last word of `q` is too short to be searched as a prefix (so a page can say why
/// « ja » finds nothing while « jar » finds « jardin »).
pub fn last_word_is_whole(q: &str) -> bool {
    fold(q)
        .split(' ')
        .rfind(|w| !w.is_empty())
        .is_some_and(|w| w.chars().count() < MIN_PREFIX)
}

/// A phrase of the FTS5 query language.
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The forms folded text may have in the index: folding writes « œ » and « æ » as « oe » and
/// « ae », which the index's tokenizer keeps as they are (« cœur »), so each such pair is tried
/// both ways. None past three pairs (eight forms).
pub fn index_forms(folded: &str) -> Option<Vec<String>> {
    let mut forms = vec![String::new()];
    let mut rest = folded;
    let mut pairs = 0;
    while !rest.is_empty() {
        let (ligature, len) = if rest.starts_with("oe") {
            (Some("œ"), 2)
        } else if rest.starts_with("ae") {
            (Some("æ"), 2)
        } else {
            (None, rest.chars().next().map_or(1, char::len_utf8))
        };
        let plain = &rest[..len];
        match ligature {
            Some(joined) => {
                pairs += 1;
                if pairs > 3 {
                    return None;
                }
                forms = forms
                    .into_iter()
                    .flat_map(|f| [format!("{f}{plain}"), format!("{f}{joined}")])
                    .collect();
            }
            None => forms.iter_mut().for_each(|f| f.push_str(plain)),
        }
        rest = &rest[len..];
    }
    Some(forms)
}
