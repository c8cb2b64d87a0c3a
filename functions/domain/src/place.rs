//! A place typed in a form (« Saint-Paul », « Saint-Paul (974) », « 69003 », a suggestion picked
//! from the list) and the zone it means: one, several namesakes to choose between, or none; how
//! a zone is named to people; what a search widens to; and « ma commune », the territory a
//! visitor chose, remembered in a cookie.

use crate::zone::{ZoneRow, name_key};

/// The cookie that remembers a visitor's territory (a zone id): not a secret, so the pages'
/// scripts read it too.
pub const COOKIE: &str = "territoire";

/// A place as typed: what to look up, and the département given in brackets, if any.
#[derive(Debug, PartialEq, Eq)]
pub struct Typed {
    pub lookup: String,
    pub departement: Option<String>,
}

/// Reads « Saint-Paul (974) » as Saint-Paul in the 974, and « Saint-Paul — 97415 » (the code
/// after a dash) as the code.
pub fn parse(input: &str) -> Typed {
    let input = input.trim();
    if let Some((_, code)) = input.rsplit_once(" — ")
        && !code.trim().is_empty()
        && code.trim().len() <= 5
    {
        return Typed {
            lookup: code.trim().to_string(),
            departement: None,
        };
    }
    if let Some((name, departement)) = input
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
        && (2..=3).contains(&departement.len())
        && departement.chars().all(|c| c.is_ascii_alphanumeric())
        && !name.trim().is_empty()
    {
        return Typed {
            lookup: name.trim().to_string(),
            departement: Some(departement.to_ascii_uppercase()),
        };
    }
    Typed {
        lookup: input.to_string(),
        departement: None,
    }
}

/// The zone a typed place means.
#[derive(Debug)]
pub enum Choice {
    One(Box<ZoneRow>),
    /// Namesakes of one kind (communes called « Saint-Paul »), to choose between.
    Several(Vec<ZoneRow>),
    Unknown,
}

/// Chooses among the zones found for a typed place: `exact` when they bear the typed name (all
/// the namesakes), else the best of a prefix or code search, first. A département in brackets
/// keeps its own zones. Namesakes of different kinds (the commune and the département of Paris)
/// are one place: the first, the most populous, wins.
pub fn choose(typed: &Typed, rows: Vec<ZoneRow>, exact: bool) -> Choice {
    let mut rows: Vec<ZoneRow> = rows
        .into_iter()
        .filter(|row| match &typed.departement {
            None => true,
            Some(d) => row.departement_code.as_deref() == Some(d) || row.code == *d,
        })
        .collect();
    if rows.is_empty() {
        return Choice::Unknown;
    }
    if !exact {
        return Choice::One(Box::new(rows.swap_remove(0)));
    }
    let kind = rows[0].kind;
    rows.retain(|row| row.kind == kind);
    match rows.len() {
        1 => Choice::One(Box::new(rows.swap_remove(0))),
        _ => Choice::Several(rows),
    }
}

/// The key the exact lookup uses, for a name (None for a code: a code's search is already exact).
pub fn exact_key(typed: &Typed) -> Option<String> {
    match crate::zone::ZoneQuery::plan(Some(&typed.lookup), None) {
        Ok(crate::zone::ZoneQuery::Name { prefix, .. }) => Some(prefix),
        _ => None,
    }
}

/// How a zone is named to people, so that the name alone finds it again: « Saint-Paul (974) »,
/// « Rhône (69) », « Auvergne-Rhône-Alpes », « 69003 ».
pub fn label(row: &ZoneRow) -> String {
    match (row.kind.as_str(), row.departement_code.as_deref()) {
        ("commune", Some(d)) => format!("{} ({d})", row.name),
        ("departement", _) => format!("{} ({})", row.name, row.code),
        ("postal", _) => row.code.clone(),
        _ => row.name.clone(),
    }
}

/// What a search in this zone widens to, nearest first, as (zone id, label); France (no
/// zone) always comes last and is not listed.
pub fn wider(row: &ZoneRow) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if matches!(row.kind.as_str(), "commune" | "postal")
        && let (Some(code), Some(name)) = (&row.departement_code, &row.departement_name)
    {
        out.push((format!("departement:{code}"), format!("{name} ({code})")));
    }
    if row.kind != crate::zone::ZoneKind::Region
        && let (Some(code), Some(name)) = (&row.region_code, &row.region_name)
    {
        out.push((format!("region:{code}"), name.clone()));
    }
    out
}

/// Whether two names are the same for the name index (« Saint Paul » is « Saint-Paul »).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// The `Set-Cookie` value that remembers a territory for a year, or forgets it (`None`).
pub fn remember(zone: Option<&str>) -> String {
    let (value, age) = match zone {
        Some(id) => (id, 365 * 24 * 3600),
        None => ("", 0),
    };
    format!("{COOKIE}={value}; Path=/; Max-Age={age}; Secure; SameSite=Lax")
}

/// The territory a `Cookie` header remembers, when it is a well-formed zone id.
pub fn remembered(cookie_header: &str) -> Option<crate::zone::ZoneId> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| crate::zone::ZoneId::parse(value.trim()))
}

/// Where to go back after choosing: a path of this site only (never `//elsewhere`).
pub fn return_path(requested: Option<&str>) -> String {
    match requested {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::commune_row;

    fn typed(s: &str) -> Typed {
        parse(s)
    }

    fn zone(kind: &str, code: &str, name: &str, departement: &str) -> ZoneRow {
        let mut row = commune_row(code, None);
        row.name = name.to_string();
        row.id = format!("{kind}:{code}");
        row.kind = crate::zone::ZoneKind::parse(kind).unwrap();
        row.departement_code = Some(departement.to_string());
        row.departement_name = Some("Département".into());
        row.region_code = Some("84".into());
        row.region_name = Some("Auvergne-Rhône-Alpes".into());
        row
    }

    #[test]
    fn a_place_is_read_with_its_departement_or_its_code() {
        assert_eq!(
            typed("Saint-Paul (974)"),
            Typed {
                lookup: "Saint-Paul".into(),
                departement: Some("974".into())
            }
        );
        assert_eq!(typed(" Ajaccio (2a) ").departement.as_deref(), Some("2A"));
        assert_eq!(typed("Saint-Paul — 97415").lookup, "97415");
        assert_eq!(typed("L’Étang — Salé — 97404").lookup, "97404");
        assert_eq!(typed("Saint-Paul").departement, None);
        // Brackets that are not a département stay part of the name.
        assert_eq!(typed("Moulins (les bas)").lookup, "Moulins (les bas)");
        assert_eq!(typed("(974)").lookup, "(974)");
    }

    #[test]
    fn namesakes_are_offered_and_a_departement_chooses_among_them() {
        let namesakes = || {
            vec![
                zone("commune", "97415", "Saint-Paul", "974"),
                zone("commune", "60591", "Saint-Paul", "60"),
            ]
        };
        match choose(&typed("Saint-Paul"), namesakes(), true) {
            Choice::Several(rows) => assert_eq!(rows.len(), 2),
            other => panic!("{other:?}"),
        }
        match choose(&typed("Saint-Paul (60)"), namesakes(), true) {
            Choice::One(row) => assert_eq!(row.code, "60591"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            choose(&typed("Saint-Paul (13)"), namesakes(), true),
            Choice::Unknown
        ));
        // A prefix search takes its best match.
        match choose(&typed("Saint-Pa"), namesakes(), false) {
            Choice::One(row) => assert_eq!(row.code, "97415"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_commune_and_its_departement_of_one_name_are_one_place() {
        let rows = vec![
            zone("commune", "75056", "Paris", "75"),
            zone("departement", "75", "Paris", "75"),
        ];
        match choose(&typed("Paris"), rows, true) {
            Choice::One(row) => assert_eq!(row.id, "commune:75056"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn labels_find_their_zone_again() {
        let commune = zone("commune", "97415", "Saint-Paul", "974");
        assert_eq!(label(&commune), "Saint-Paul (974)");
        let parsed = parse(&label(&commune));
        assert!(matches!(
            choose(&parsed, vec![commune], true),
            Choice::One(_)
        ));
        assert_eq!(
            label(&zone("departement", "69", "Rhône", "69")),
            "Rhône (69)"
        );
        assert_eq!(label(&zone("postal", "69003", "69003", "69")), "69003");
        assert_eq!(
            label(&zone("region", "84", "Auvergne-Rhône-Alpes", "")),
            "Auvergne-Rhône-Alpes"
        );
        assert_eq!(
            exact_key(&typed("Saint-Paul")).as_deref(),
            Some("saint paul")
        );
        assert_eq!(exact_key(&typed("69003")), None);
    }

    #[test]
    fn a_search_widens_to_its_departement_then_its_region() {
        let commune = zone("commune", "69266", "Villeurbanne", "69");
        let ids: Vec<String> = wider(&commune).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["departement:69", "region:84"]);
        let departement = zone("departement", "69", "Rhône", "69");
        let ids: Vec<String> = wider(&departement).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["region:84"]);
        assert!(wider(&zone("region", "84", "Auvergne-Rhône-Alpes", "")).is_empty());
    }

    #[test]
    fn the_territory_cookie_keeps_a_zone_id_and_only_that() {
        assert_eq!(
            remember(Some("commune:69266")),
            "territoire=commune:69266; Path=/; Max-Age=31536000; Secure; SameSite=Lax"
        );
        assert!(remember(None).contains("Max-Age=0"));
        let zone = remembered("a=1; territoire=commune:69266; b=2").unwrap();
        assert_eq!(zone.as_string(), "commune:69266");
        assert!(remembered("territoire=<script>").is_none());
        assert!(remembered("session=x").is_none());
        assert!(same_name("Saint Paul", "Saint-Paul"));
    }

    #[test]
    fn one_goes_back_only_to_a_page_of_this_site() {
        assert_eq!(return_path(Some("/agenda/?x=1")), "/agenda/?x=1");
        for away in ["//evil.example/", "https://evil.example/", "/\\evil", ""] {
            assert_eq!(return_path(Some(away)), "/", "{away}");
        }
        assert_eq!(return_path(None), "/");
    }
}
