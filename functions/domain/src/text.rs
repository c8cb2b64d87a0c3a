//! Text as people type it: searches ignore case, accents and punctuation between words.

/// Folds a name or a query for comparison: lower case, Latin diacritics removed (é→e, œ→oe),
/// every run of spaces, hyphens, apostrophes and other punctuation turned into one space.
/// "Saint-Paul", "saint paul" and "SAINT‑PAUL" all fold to "saint paul".
///
/// Hand-written for the Latin letters (Latin-1 and Latin Extended-A) rather than a Unicode
/// normalisation crate: it is all French place and organisation names need, and the worker
/// stays small. Other letters are kept, lower-cased.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            match base_letter(c) {
                Some(base) => out.push_str(base),
                None => out.push(c),
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// The unaccented form of a lower-case Latin letter, when it has one.
fn base_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Text that went through Windows-1252 read as Latin-1 carries C1 control characters where its
/// typographic ones were (`Claude-d\u{92}Urfé`, `S\u{9c}urs`): they are put back (’, œ, €,
/// …); the five code points Windows-1252 leaves undefined are dropped. No text means them as
/// controls.
pub fn mend_windows_1252(input: &str) -> String {
    input
        .chars()
        .filter_map(|c| match c as u32 {
            0x80..=0x9f => {
                const CP1252: [&str; 32] = [
                    "€", "", "‚", "ƒ", "„", "…", "†", "‡", "ˆ", "‰", "Š", "‹", "Œ", "", "Ž", "",
                    "", "‘", "’", "“", "”", "•", "–", "—", "˜", "™", "š", "›", "œ", "", "ž", "Ÿ",
                ];
                CP1252[(c as u32 - 0x80) as usize].chars().next()
            }
            _ => Some(c),
        })
        .collect()
}

/// The smallest string greater than every string starting with `prefix`, so that
/// `key >= prefix AND key < upper` is an indexed prefix search.
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_read_as_latin_1_is_mended() {
        assert_eq!(
            mend_windows_1252("46 rue Claude-d\u{92}Urfé"),
            "46 rue Claude-d’Urfé"
        );
        assert_eq!(mend_windows_1252("rue des S\u{9c}urs"), "rue des Sœurs");
        assert_eq!(mend_windows_1252("10 \u{80} \u{81}"), "10 € ");
        assert_eq!(mend_windows_1252("déjà bien"), "déjà bien");
    }

    #[test]
    fn folds_case_accents_and_punctuation() {
        for (input, folded) in [
            ("Saint-Paul", "saint paul"),
            ("  SAINT   paul ", "saint paul"),
            ("Saint‑Paul", "saint paul"), // non-breaking hyphen
            ("L'Étang-Salé", "l etang sale"),
            ("Œuvre des Cœurs", "oeuvre des coeurs"),
            ("Épicerie", "epicerie"),
            ("Ærø", "aero"),
            ("Straße", "strasse"),
            ("97415", "97415"),
            ("", ""),
            ("---", ""),
        ] {
            assert_eq!(fold(input), folded, "{input}");
        }
    }

    #[test]
    fn the_upper_bound_closes_a_prefix_range() {
        let upper = prefix_upper_bound("saint p");
        assert!(*"saint paul" < *upper);
        assert!(*"saint pierre" < *upper);
        assert!(*"saint q" > *upper);
        assert!(*"saint p" < *upper);
    }
}
