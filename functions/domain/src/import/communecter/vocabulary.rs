//! Communecter's words for kinds, types and sections, as its data really holds them (its own
//! configuration, its migrations' older values, French labels and misspellings), mapped to
//! this project's.

use crate::element::{Kind, SECTIONS};

/// The kind a collection name stands for: `organizations`, `projects`, `events`, `poi`,
/// `classifieds` and what classifieds were before (`classified`, `ressources`, `jobs`, and the
/// misspelt `ressoures` found in real data).
pub fn kind_of_collection(name: &str) -> Option<Kind> {
    match name.trim().to_ascii_lowercase().as_str() {
        "organization" | "organizations" | "organisation" | "organisations" => {
            Some(Kind::Organization)
        }
        "project" | "projects" => Some(Kind::Project),
        "event" | "events" => Some(Kind::Event),
        "poi" | "pois" => Some(Kind::Poi),
        "classified" | "classifieds" | "ressource" | "ressources" | "ressoures" | "job"
        | "jobs" => Some(Kind::Classified),
        _ => None,
    }
}

/// The kind of a JSON-LD `@type` (`/api/…/get` answers).
pub fn kind_of_schema_type(name: &str) -> Option<Kind> {
    match name {
        "Organization" | "NGO" | "LocalBusiness" | "GovernmentOrganization" => {
            Some(Kind::Organization)
        }
        "Event" => Some(Kind::Event),
        "Project" => Some(Kind::Project),
        "Place" => Some(Kind::Poi),
        _ => None,
    }
}

/// An organization's type; older data wrote it in French or English words, or not at all
/// (Communecter's own migration then made it a Group).
pub fn organization_type(name: Option<&str>) -> &'static str {
    match name.map(|n| n.trim().to_ascii_lowercase()).as_deref() {
        Some("ngo" | "association" | "asso") => "NGO",
        Some("localbusiness" | "company" | "entreprise" | "business") => "LocalBusiness",
        Some("governmentorganization" | "service public" | "public") => "GovernmentOrganization",
        Some("cooperative" | "coopérative" | "cooperative society") => "Cooperative",
        _ => "Group",
    }
}

/// An event's type; older records used French words, and some types have no match (`others`).
pub fn event_type(name: Option<&str>) -> &'static str {
    let known = Kind::Event.types();
    match name.map(str::trim) {
        Some("exposition") => "exhibition",
        Some("concours") => "contest",
        Some("marche" | "marché") => "market",
        Some("reunion" | "réunion") => "meeting",
        Some("atelier") => "workshop",
        Some(t) => known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(t))
            .unwrap_or(&"others"),
        None => "others",
    }
}

/// A point of interest's type; Communecter's sections beyond ours (tools, documents, places…)
/// are `other`, and both spellings of street art are one.
pub fn poi_type(name: Option<&str>) -> &'static str {
    let known = Kind::Poi.types();
    match name.map(str::trim) {
        Some("streetArt" | "streetart") => "streetArts",
        Some(t) => known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(t))
            .unwrap_or(&"other"),
        None => "other",
    }
}

/// A classified ad's section, from its type (`classifieds`, `ressources`, `jobs`) and section
/// (`forsale`, `forrent`, `offer`, `need`), the older sections, which are ours, and their
/// French labels.
pub fn section(type_: Option<&str>, section: Option<&str>) -> &'static str {
    let type_ = type_
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let section = section
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(ours) = SECTIONS.iter().find(|s| **s == section) {
        return ours;
    }
    let jobs = type_.starts_with("job");
    match (section.as_str(), jobs) {
        ("vendre" | "vente", _) => "forsale",
        ("louer" | "location", _) => "forrent",
        ("donner" | "don", _) => "donation",
        ("partager" | "partage", _) => "sharing",
        ("besoin" | "need" | "cherche", _) => "lookingfor",
        ("emplois" | "emploi", _) | ("offer", true) => "job",
        ("offer", false) => "sharing",
        _ if jobs => "job",
        _ if type_.starts_with("ressou") => "sharing",
        _ => "forsale",
    }
}

/// A currency sign as ISO 4217; None for one that has no code (the Ğ1, a libre currency).
pub fn currency(sign: Option<&str>) -> Option<&'static str> {
    match sign.map(str::trim) {
        None | Some("" | "€" | "EUR" | "All") => Some("EUR"),
        Some("£" | "GBP") => Some("GBP"),
        Some("$" | "USD") => Some("USD"),
        Some("CFP" | "XPF") => Some("XPF"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classified_sections_of_every_generation_map_to_ours() {
        for (type_, section_, ours) in [
            ("classifieds", "forsale", "forsale"),
            ("classifieds", "forrent", "forrent"),
            ("ressources", "offer", "sharing"),
            ("ressoures", "offer", "sharing"),
            ("ressources", "need", "lookingfor"),
            ("jobs", "offer", "job"),
            ("jobs", "need", "lookingfor"),
            ("classified", "donation", "donation"),
            ("classified", "Partager", "sharing"),
            ("classified", "Besoin", "lookingfor"),
            ("classified", "Emplois", "job"),
            ("jobs", "", "job"),
        ] {
            assert_eq!(
                section(Some(type_), Some(section_)),
                ours,
                "{type_} {section_}"
            );
        }
        assert_eq!(section(None, None), "forsale");
    }

    #[test]
    fn kinds_and_types_of_every_generation_map_to_ours() {
        for name in [
            "classifieds",
            "ressources",
            "ressoures",
            "jobs",
            "classified",
        ] {
            assert_eq!(kind_of_collection(name), Some(Kind::Classified), "{name}");
        }
        assert_eq!(kind_of_collection("citoyens"), None);
        assert_eq!(organization_type(Some("association")), "NGO");
        assert_eq!(organization_type(Some("company")), "LocalBusiness");
        assert_eq!(organization_type(None), "Group");
        assert_eq!(event_type(Some("exposition")), "exhibition");
        assert_eq!(event_type(Some("getTogether")), "getTogether");
        assert_eq!(event_type(Some("fête")), "others");
        assert_eq!(poi_type(Some("streetArt")), "streetArts");
        assert_eq!(poi_type(Some("documentation")), "other");
        assert_eq!(currency(Some("€")), Some("EUR"));
        assert_eq!(currency(None), Some("EUR"));
        assert_eq!(currency(Some("CFP")), Some("XPF"));
        assert_eq!(currency(Some("Ğ1")), None);
    }
}
