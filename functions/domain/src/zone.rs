//! Zones: ids as the API writes them (`commune:<INSEE>`, `postal:<code>`, `departement:<code>`,
//! `region:<code>`), how a zone search is planned, and how a zone is shown. Whether a zone
//! exists is the database's say.

use crate::error::{ApiError, ErrorCode};
use crate::text::{fold, prefix_upper_bound};
use serde::{Deserialize, Serialize};

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

impl ZoneKind {
    pub fn parse(input: &str) -> Option<ZoneKind> {
        match input {
            "commune" => Some(ZoneKind::Commune),
            "postal" => Some(ZoneKind::Postal),
            "departement" => Some(ZoneKind::Departement),
            "region" => Some(ZoneKind::Region),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Commune => "commune",
            ZoneKind::Postal => "postal",
            ZoneKind::Departement => "departement",
            ZoneKind::Region => "region",
        }
    }
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
        format!("{}:{}", self.kind.as_str(), self.code)
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

/// How `GET /api/zones?q=&kind=` looks zones up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneQuery {
    /// A code typed as such (`97415`, `974`, `2A`): exact match on codes.
    Code {
        code: String,
        kind: Option<ZoneKind>,
    },
    /// A name: folded prefix range. Without a kind, postal codes are left out: their names
    /// repeat their communes'.
    Name {
        prefix: String,
        upper: String,
        kind: Option<ZoneKind>,
    },
}

impl ZoneQuery {
    pub fn plan(q: Option<&str>, kind: Option<&str>) -> Result<ZoneQuery, ApiError> {
        let kind = match kind {
            None | Some("") => None,
            Some(k) => Some(
                ZoneKind::parse(k)
                    .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "kind"))?,
            ),
        };
        let q = q.map(str::trim).unwrap_or_default();
        let upper = q.to_ascii_uppercase();
        let looks_like_code = (2..=5).contains(&q.len())
            && upper
                .chars()
                .enumerate()
                .all(|(i, c)| c.is_ascii_digit() || (i == 1 && (c == 'A' || c == 'B')));
        if looks_like_code {
            return Ok(ZoneQuery::Code { code: upper, kind });
        }
        let prefix = fold(q);
        if prefix.is_empty() || prefix.len() > 100 {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "q"));
        }
        Ok(ZoneQuery::Name {
            upper: prefix_upper_bound(&prefix),
            prefix,
            kind,
        })
    }

    /// The kind filter as the SQL binds it: a kind, or NULL for "communes, départements and
    /// régions" (name search) / "any" (code search).
    pub fn kind(&self) -> Option<&'static str> {
        match self {
            ZoneQuery::Code { kind, .. } | ZoneQuery::Name { kind, .. } => {
                kind.map(ZoneKind::as_str)
            }
        }
    }
}

/// The département of a commune, from its INSEE code (three digits overseas: 971…976).
pub fn departement_of_commune(code: &str) -> &str {
    let length = if code.starts_with("97") { 3 } else { 2 };
    code.get(..length).unwrap_or(code)
}

/// What to look up for a place typed in a form: a suggestion picked from the list reads
/// "Saint-Paul — 97415" and is looked up by its code; anything else as typed.
pub fn typed_place(input: &str) -> &str {
    match input.rsplit_once(" — ") {
        Some((_, code)) if !code.trim().is_empty() && code.trim().len() <= 5 => code.trim(),
        _ => input.trim(),
    }
}

/// How a zone is offered in a list of suggestions (see `typed_place`).
pub fn suggestion(name: &str, code: &str) -> String {
    format!("{name} — {code}")
}

/// A zone as the database returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct ZoneRow {
    pub id: String,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub population: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub departement_code: Option<String>,
    pub departement_name: Option<String>,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    /// A commune's postal codes or a postal code's communes, comma-separated.
    pub related: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedCode {
    pub code: String,
    pub name: String,
}

/// A zone as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneView {
    pub id: String,
    pub kind: String,
    pub code: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commune_codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub departement: Option<NamedCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<NamedCode>,
    pub population: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl From<ZoneRow> for ZoneView {
    fn from(row: ZoneRow) -> ZoneView {
        let mut related: Vec<String> = row
            .related
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        related.sort();
        let named = |code: Option<String>, name: Option<String>| {
            Some(NamedCode {
                code: code?,
                name: name?,
            })
        };
        let is_departement = row.kind == "departement";
        ZoneView {
            postal_codes: (row.kind == "commune").then(|| related.clone()),
            commune_codes: (row.kind == "postal").then_some(related),
            departement: if is_departement || row.kind == "region" {
                None
            } else {
                named(row.departement_code, row.departement_name)
            },
            region: if row.kind == "region" {
                None
            } else {
                named(row.region_code, row.region_name)
            },
            id: row.id,
            kind: row.kind,
            code: row.code,
            name: row.name,
            population: row.population,
            lat: row.lat,
            lon: row.lon,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_codes_as_exact_and_names_as_folded_prefixes() {
        assert_eq!(
            ZoneQuery::plan(Some("97434"), Some("postal")).unwrap(),
            ZoneQuery::Code {
                code: "97434".into(),
                kind: Some(ZoneKind::Postal)
            }
        );
        assert_eq!(
            ZoneQuery::plan(Some("2a"), None).unwrap(),
            ZoneQuery::Code {
                code: "2A".into(),
                kind: None
            }
        );
        match ZoneQuery::plan(Some(" Saint-Paul "), None).unwrap() {
            ZoneQuery::Name {
                prefix,
                upper,
                kind,
            } => {
                assert_eq!(prefix, "saint paul");
                assert!(upper.starts_with("saint paul") && upper > prefix);
                assert_eq!(kind, None);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            ZoneQuery::plan(Some("Saint-Paul"), None).unwrap().kind(),
            None
        );
    }

    #[test]
    fn refuses_an_empty_query_or_an_unknown_kind_by_field() {
        for q in [None, Some(""), Some(" - ")] {
            assert_eq!(
                ZoneQuery::plan(q, None).unwrap_err().field.as_deref(),
                Some("q")
            );
        }
        assert_eq!(
            ZoneQuery::plan(Some("x"), Some("ville"))
                .unwrap_err()
                .field
                .as_deref(),
            Some("kind")
        );
    }

    #[test]
    fn a_commune_shows_its_sorted_postal_codes_and_its_departement_and_region() {
        let row = ZoneRow {
            id: "commune:97415".into(),
            kind: "commune".into(),
            code: "97415".into(),
            name: "Saint-Paul".into(),
            population: Some(108_088),
            lat: Some(-21.0),
            lon: Some(55.27),
            departement_code: Some("974".into()),
            departement_name: Some("La Réunion".into()),
            region_code: Some("04".into()),
            region_name: Some("La Réunion".into()),
            related: Some("97460,97411,97434".into()),
        };
        let view = ZoneView::from(row.clone());
        assert_eq!(
            view.postal_codes.as_deref(),
            Some(&["97411".to_string(), "97434".into(), "97460".into()][..])
        );
        assert_eq!(view.commune_codes, None);
        assert_eq!(view.departement.unwrap().name, "La Réunion");
        let region = ZoneView::from(ZoneRow {
            kind: "region".into(),
            related: None,
            ..row
        });
        assert_eq!(
            (region.region, region.departement, region.postal_codes),
            (None, None, None)
        );
    }

    #[test]
    fn a_commune_code_names_its_departement() {
        assert_eq!(departement_of_commune("97415"), "974");
        assert_eq!(departement_of_commune("69123"), "69");
        assert_eq!(departement_of_commune("2A004"), "2A");
    }

    #[test]
    fn a_picked_suggestion_is_looked_up_by_its_code() {
        assert_eq!(typed_place(&suggestion("Saint-Paul", "97415")), "97415");
        assert_eq!(typed_place("  saint paul "), "saint paul");
        assert_eq!(typed_place("L’Étang — Salé — 97404"), "97404");
    }

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
