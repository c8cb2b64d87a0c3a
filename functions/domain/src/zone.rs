//! Zone ids as the API writes them: `commune:<INSEE>`, `postal:<code>`, `departement:<code>`,
//! `region:<code>`. This module checks their shape; whether a zone exists is the database's say.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneKind {
    Commune,
    Postal,
    Departement,
    Region,
}

/// A zone id of the right shape, kept as its canonical string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneId {
    pub kind: ZoneKind,
    pub code: String,
}

impl ZoneId {
    pub fn parse(input: &str) -> Option<ZoneId> {
        let (kind, code) = input.trim().split_once(':')?;
        let code = code.to_ascii_uppercase();
        let kind = match kind {
            "commune" if is_insee(&code) => ZoneKind::Commune,
            "postal" if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) => {
                ZoneKind::Postal
            }
            "departement" if is_departement(&code) => ZoneKind::Departement,
            "region" if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) => {
                ZoneKind::Region
            }
            _ => return None,
        };
        Some(ZoneId { kind, code })
    }

    pub fn as_string(&self) -> String {
        let kind = match self.kind {
            ZoneKind::Commune => "commune",
            ZoneKind::Postal => "postal",
            ZoneKind::Departement => "departement",
            ZoneKind::Region => "region",
        };
        format!("{kind}:{}", self.code)
    }
}

/// An INSEE commune code: two digits (or 2A / 2B for Corsica) then three digits.
fn is_insee(code: &str) -> bool {
    code.len() == 5 && is_departement(&code[..2]) && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// A département code: two digits, 2A or 2B, or three digits overseas (971…976).
fn is_departement(code: &str) -> bool {
    match code.len() {
        2 => code == "2A" || code == "2B" || code.bytes().all(|b| b.is_ascii_digit()),
        3 => code.starts_with("97") && code.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_in_canonical_form() {
        for (input, kind, canonical) in [
            ("commune:97415", ZoneKind::Commune, "commune:97415"),
            ("commune:2a004", ZoneKind::Commune, "commune:2A004"),
            ("postal:97434", ZoneKind::Postal, "postal:97434"),
            ("departement:974", ZoneKind::Departement, "departement:974"),
            ("departement:2B", ZoneKind::Departement, "departement:2B"),
            ("region:04", ZoneKind::Region, "region:04"),
        ] {
            let zone = ZoneId::parse(input).unwrap_or_else(|| panic!("{input}"));
            assert_eq!(zone.kind, kind);
            assert_eq!(zone.as_string(), canonical);
        }
    }

    #[test]
    fn refuses_malformed_ids() {
        for input in [
            "",
            "97415",
            "commune:9741",
            "commune:2C004",
            "postal:9743A",
            "ville:97415",
            "departement:988x",
            "region:4",
        ] {
            assert_eq!(ZoneId::parse(input), None, "{input}");
        }
    }
}
