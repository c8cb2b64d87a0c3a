//! Zones: ids as the API writes them (`commune:<INSEE>`, `postal:<code>`, `departement:<code>`,
//! `region:<code>`), how a zone search is planned, and how a zone is shown. Whether a zone
//! exists is the database's say.

use crate::error::{ApiError, ErrorCode};
use crate::geo::Point;
use crate::geo::contour::{Contour, locate};
use crate::text::{fold, prefix_upper_bound};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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

/// A letter or digit of the Latin script, in which every French place is named: what a zone
/// search must hold at least one of (the OpenAPI document's pattern for `q`,
/// `[0-9A-Za-zÀ-ÖØ-öø-ɏ]`, says the same).
fn latin_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || (('\u{C0}'..='\u{24F}').contains(&c) && c != '×' && c != '÷')
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
        let prefix = name_key(q);
        let named = q.chars().any(latin_letter_or_digit);
        if !named || prefix.is_empty() || q.chars().count() > 100 {
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

/// A zone name as the name index keeps it and a typed name is looked up: folded (`fold`), and
/// ordinals written as numbers (« 3e », « 1er », « 3ème ») kept as the number alone, so that
/// « Lyon 3 », « Lyon 3e » and « Lyon 3ème » all find « Lyon 3e Arrondissement ».
pub fn name_key(name: &str) -> String {
    let folded = fold(name);
    let words: Vec<&str> = folded
        .split(' ')
        .map(|word| {
            let digits = word.bytes().take_while(u8::is_ascii_digit).count();
            match &word[digits..] {
                "e" | "er" | "ere" | "em" | "eme" | "nd" | "nde" if digits > 0 => &word[..digits],
                _ => word,
            }
        })
        .collect();
    words.join(" ")
}

/// The département of a commune, from its INSEE code (three digits overseas: 971…976).
pub fn departement_of_commune(code: &str) -> &str {
    let length = if code.starts_with("97") { 3 } else { 2 };
    code.get(..length).unwrap_or(code)
}

/// A zone as the database returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct ZoneRow {
    pub id: String,
    pub kind: ZoneKind,
    pub code: String,
    pub name: String,
    pub population: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub departement_code: Option<String>,
    pub departement_name: Option<String>,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    /// An arrondissement municipal's commune (INSEE code).
    #[serde(default)]
    pub parent: Option<String>,
    /// A commune's postal codes (with its arrondissements') or a postal code's communes,
    /// comma-separated.
    pub related: Option<String>,
    /// A commune's arrondissements municipaux (INSEE codes), comma-separated.
    #[serde(default)]
    pub arrondissements: Option<String>,
    /// Its contour (a GeoJSON geometry), where the statement reads it
    /// (`store::zones::candidates_at`).
    #[serde(default)]
    pub geometry: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// How people name it, so that the name alone finds it again: « Saint-Paul (974) ».
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commune_codes: Option<Vec<String>>,
    /// A commune's arrondissements municipaux, as zone ids (Paris, Lyon, Marseille).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrondissements: Option<Vec<String>>,
    /// An arrondissement's commune, as a zone id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
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
        let related = codes(row.related.as_deref());
        let arrondissements = codes(row.arrondissements.as_deref());
        let named = |code: Option<String>, name: Option<String>| {
            Some(NamedCode {
                code: code?,
                name: name?,
            })
        };
        let is_departement = row.kind == ZoneKind::Departement;
        let label = crate::place::label(&row);
        ZoneView {
            label,
            postal_codes: (row.kind == ZoneKind::Commune).then(|| related.clone()),
            commune_codes: (row.kind == ZoneKind::Postal).then_some(related),
            arrondissements: (!arrondissements.is_empty()).then(|| {
                arrondissements
                    .iter()
                    .map(|code| format!("commune:{code}"))
                    .collect()
            }),
            parent: row.parent.map(|code| format!("commune:{code}")),
            departement: if is_departement || row.kind == ZoneKind::Region {
                None
            } else {
                named(row.departement_code, row.departement_name)
            },
            region: if row.kind == ZoneKind::Region {
                None
            } else {
                named(row.region_code, row.region_name)
            },
            id: row.id,
            kind: row.kind.as_str().to_string(),
            code: row.code,
            name: row.name,
            population: row.population,
            lat: row.lat,
            lon: row.lon,
        }
    }
}

/// A zone a search or a feed names, as the database answers for it (`store::zones::scopes`):
/// its id and the codes it stands for beyond itself (a postal code's communes, a commune's
/// arrondissements), comma-separated.
#[derive(Debug, Clone, Deserialize)]
pub struct ScopeRow {
    pub id: String,
    pub members: Option<String>,
}

impl From<&ZoneRow> for ScopeRow {
    /// A zone read whole already says what it stands for: a postal code its communes, a
    /// commune its arrondissements.
    fn from(row: &ZoneRow) -> ScopeRow {
        let members = match row.kind.as_str() {
            "postal" => row.related.clone(),
            "commune" => row.arrondissements.clone(),
            _ => None,
        };
        ScopeRow {
            id: row.id.clone(),
            members,
        }
    }
}

/// The areas a search reads for its scopes, each one column's equality: every zone itself,
/// and the communes a postal code serves (an element there is found under that code whatever
/// code its own address carries), and a commune's arrondissements (an element filed in Lyon 3e
/// is found under Lyon). A zone the database does not know is a 400 `unknown_zone` on `field`.
pub fn areas(scopes: &[ZoneId], rows: &[ScopeRow], field: &str) -> Result<Vec<ZoneId>, ApiError> {
    let mut areas: Vec<ZoneId> = Vec::new();
    for zone in scopes {
        let id = zone.as_string();
        let row = rows
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| ApiError::on_field(ErrorCode::UnknownZone, field))?;
        let members = codes(row.members.as_deref())
            .into_iter()
            .map(|code| ZoneId {
                kind: ZoneKind::Commune,
                code,
            });
        for area in std::iter::once(zone.clone()).chain(members) {
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
    }
    Ok(areas)
}

/// `GET /api/zones/at?lat=&lon=`: the point, checked by field.
pub fn point_of(lat: Option<&str>, lon: Option<&str>) -> Result<Point, ApiError> {
    let number = |value: Option<&str>, field: &str| {
        value
            .and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, field))
    };
    let lat = number(lat, "lat")?;
    let lon = number(lon, "lon")?;
    Point::new(lat, 0.0, "lat")?;
    Point::new(0.0, lon, "lon")?;
    Ok(Point { lat, lon })
}

/// The commune (or arrondissement) whose contour holds the point (`contour::locate`), among
/// the candidates `store::zones::candidates_at` reads with their contours; 404
/// `outside_zones` when none does.
pub fn at(point: &Point, candidates: Vec<ZoneRow>) -> Result<ZoneRow, ApiError> {
    let shaped: Vec<(ZoneRow, Contour)> = candidates
        .into_iter()
        .filter_map(|mut zone| {
            let contour = Contour::from_geojson(&zone.geometry.take()?)?;
            Some((zone, contour))
        })
        .collect();
    locate(point, &shaped)
        .cloned()
        .ok_or_else(|| ApiError::new(ErrorCode::OutsideZones))
}

/// A comma-separated list of codes, sorted.
fn codes(list: Option<&str>) -> Vec<String> {
    let mut codes: Vec<String> = list
        .unwrap_or_default()
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    codes.sort();
    codes
}

/// A commune as the database returns it, with its contour, for the tests.
#[cfg(test)]
pub(crate) fn commune_row(code: &str, geometry: Option<String>) -> ZoneRow {
    ZoneRow {
        id: format!("commune:{code}"),
        kind: ZoneKind::Commune,
        code: code.into(),
        name: code.into(),
        population: None,
        lat: None,
        lon: None,
        departement_code: None,
        departement_name: None,
        region_code: None,
        region_name: None,
        parent: None,
        related: None,
        arrondissements: None,
        geometry,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_zone_search_names_in_the_latin_script_as_the_document_says() {
        for named in ["Œuilly", "Ⱥ", "l'Haÿ", "Saint-Paul", "97415"] {
            assert!(ZoneQuery::plan(Some(named), None).is_ok(), "{named}");
        }
        for unnamed in ["Ω", "---", "×÷", ""] {
            let refused = ZoneQuery::plan(Some(unnamed), None).unwrap_err();
            assert_eq!(refused.field.as_deref(), Some("q"), "{unnamed}");
        }
    }

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
            kind: ZoneKind::Commune,
            code: "97415".into(),
            name: "Saint-Paul".into(),
            population: Some(108_088),
            lat: Some(-21.0),
            lon: Some(55.27),
            departement_code: Some("974".into()),
            departement_name: Some("La Réunion".into()),
            region_code: Some("04".into()),
            region_name: Some("La Réunion".into()),
            parent: None,
            related: Some("97460,97411,97434".into()),
            arrondissements: None,
            geometry: None,
        };
        let view = ZoneView::from(row.clone());
        assert_eq!(
            view.postal_codes.as_deref(),
            Some(&["97411".to_string(), "97434".into(), "97460".into()][..])
        );
        assert_eq!(view.commune_codes, None);
        assert_eq!((view.parent, view.arrondissements), (None, None));
        assert_eq!(view.departement.unwrap().name, "La Réunion");
        let region = ZoneView::from(ZoneRow {
            kind: ZoneKind::Region,
            related: None,
            ..row
        });
        assert_eq!(
            (region.region, region.departement, region.postal_codes),
            (None, None, None)
        );
    }

    #[test]
    fn ordinals_are_kept_as_numbers_in_name_keys() {
        assert_eq!(name_key("Lyon 3e Arrondissement"), "lyon 3 arrondissement");
        assert_eq!(
            name_key("Paris 1er Arrondissement"),
            "paris 1 arrondissement"
        );
        for typed in ["Lyon 3", "lyon 3e", "LYON 3ème", "Lyon-3e"] {
            assert_eq!(name_key(typed), "lyon 3", "{typed}");
            assert!(name_key("Lyon 3e Arrondissement").starts_with(&name_key(typed)));
        }
        // Only numbers lose their ending: names keep their letters.
        assert_eq!(name_key("Saint-Èmeric"), "saint emeric");
        assert_eq!(name_key("Les 3 Ponts"), "les 3 ponts");
    }

    #[test]
    fn a_commune_lists_its_arrondissements_and_an_arrondissement_names_its_commune() {
        let lyon = ZoneRow {
            id: "commune:69123".into(),
            kind: ZoneKind::Commune,
            code: "69123".into(),
            name: "Lyon".into(),
            population: Some(519_127),
            lat: None,
            lon: None,
            departement_code: Some("69".into()),
            departement_name: Some("Rhône".into()),
            region_code: Some("84".into()),
            region_name: Some("Auvergne-Rhône-Alpes".into()),
            parent: None,
            related: Some("69003,69001".into()),
            arrondissements: Some("69383,69381".into()),
            geometry: None,
        };
        let view = ZoneView::from(lyon.clone());
        assert_eq!(
            view.arrondissements.as_deref(),
            Some(&["commune:69381".to_string(), "commune:69383".into()][..])
        );
        assert_eq!(
            view.postal_codes.as_deref(),
            Some(&["69001".to_string(), "69003".into()][..])
        );
        let third = ZoneView::from(ZoneRow {
            id: "commune:69383".into(),
            code: "69383".into(),
            parent: Some("69123".into()),
            arrondissements: None,
            ..lyon
        });
        assert_eq!(third.parent.as_deref(), Some("commune:69123"));
        assert_eq!(third.arrondissements, None);
    }

    #[test]
    fn scopes_stand_for_their_communes_and_arrondissements_and_unknown_ones_are_refused() {
        let id = |s: &str| ZoneId::parse(s).unwrap();
        let rows = [
            ScopeRow {
                id: "postal:69100".into(),
                members: Some("69266".into()),
            },
            ScopeRow {
                id: "commune:69123".into(),
                members: Some("69383,69381".into()),
            },
            ScopeRow {
                id: "departement:974".into(),
                members: None,
            },
        ];
        let found = areas(
            &[
                id("postal:69100"),
                id("commune:69123"),
                id("departement:974"),
            ],
            &rows,
            "scope",
        )
        .unwrap();
        let names: Vec<String> = found.iter().map(ZoneId::as_string).collect();
        assert_eq!(
            names,
            [
                "postal:69100",
                "commune:69266",
                "commune:69123",
                "commune:69381",
                "commune:69383",
                "departement:974"
            ]
        );
        // A commune named twice (itself and through a postal code) is read once.
        let villeurbanne = ScopeRow {
            id: "commune:69266".into(),
            members: None,
        };
        let twice = areas(
            &[id("postal:69100"), id("commune:69266")],
            &[rows[0].clone(), villeurbanne],
            "scope",
        )
        .unwrap();
        assert_eq!(twice.len(), 2, "{twice:?}");
        let error = areas(&[id("commune:00000")], &rows, "ou").unwrap_err();
        assert_eq!(
            (error.code, error.field.as_deref(), error.status()),
            (ErrorCode::UnknownZone, Some("ou"), 400)
        );
    }

    #[test]
    fn a_point_names_the_zone_whose_contour_holds_it() {
        let zone = |code: &str, geometry: String| commune_row(code, Some(geometry));
        let square = |w: f64| {
            format!(
                r#"{{"type":"MultiPolygon","coordinates":[[[[{w},45.0],[{e},45.0],[{e},46.0],[{w},46.0],[{w},45.0]]]]}}"#,
                e = w + 1.0
            )
        };
        let candidates = vec![
            zone("west", square(0.0)),
            zone("east", square(1.0)),
            zone("broken", "{}".into()),
        ];
        let found = at(
            &Point {
                lat: 45.5,
                lon: 1.5,
            },
            candidates.clone(),
        )
        .unwrap();
        assert_eq!(found.code, "east");
        let error = at(
            &Point {
                lat: 47.0,
                lon: 1.5,
            },
            candidates,
        )
        .unwrap_err();
        assert_eq!((error.code.code(), error.status()), ("outside_zones", 404));
        assert_eq!(
            point_of(Some(" 45.78 "), Some("4.88")).unwrap(),
            Point {
                lat: 45.78,
                lon: 4.88
            }
        );
        for (lat, lon, field) in [
            (None, Some("4.8"), "lat"),
            (Some("x"), Some("4.8"), "lat"),
            (Some("95"), Some("4.8"), "lat"),
            (Some("45"), None, "lon"),
            (Some("45"), Some("200"), "lon"),
        ] {
            assert_eq!(
                point_of(lat, lon).unwrap_err().field.as_deref(),
                Some(field)
            );
        }
    }

    #[test]
    fn a_commune_code_names_its_departement() {
        assert_eq!(departement_of_commune("97415"), "974");
        assert_eq!(departement_of_commune("69123"), "69");
        assert_eq!(departement_of_commune("2A004"), "2A");
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
