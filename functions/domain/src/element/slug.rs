//! Human slugs: `/e/epicerie-du-vrac/`, French-friendly (accents folded, words hyphenated).

use crate::text::fold;

const MAX_LEN: usize = 60;

/// The slug a name asks for, before checking it is free.
pub fn base(name: &str) -> String {
    let folded = fold(name);
    let mut slug = String::new();
    for word in folded.split(' ') {
        let word: String = word.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if word.is_empty() {
            continue;
        }
        if !slug.is_empty() && slug.len() + 1 + word.len() > MAX_LEN {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word[..word.len().min(MAX_LEN)]);
    }
    if slug.is_empty() {
        slug.push_str("element");
    }
    slug
}

/// `base`, or `base-2`, `base-3`… the first not among `taken`.
pub fn first_free(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .expect("an unbounded range always yields")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_french_friendly() {
        assert_eq!(
            base("Épicerie du Vrac — Saint-Paul"),
            "epicerie-du-vrac-saint-paul"
        );
        assert_eq!(base("L'Œuvre des 3 Cœurs !"), "l-oeuvre-des-3-coeurs");
        assert_eq!(base("<script>"), "script");
        assert_eq!(base("日本"), "element");
        let long = base(&"mot ".repeat(40));
        assert!(long.len() <= MAX_LEN && !long.ends_with('-'));
    }

    #[test]
    fn a_taken_slug_gets_the_next_number() {
        let taken = vec!["vrac".to_string(), "vrac-2".to_string()];
        assert_eq!(first_free("vrac", &taken), "vrac-3");
        assert_eq!(first_free("autre", &taken), "autre");
    }
}
