//! Open data: the formats a public read can leave in, chosen by the address's extension
//! (`/api/search.geojson`) or else by the Accept header; JSON when neither asks for another.
//! Every format is written from the public views only (search items, element views, the live
//! feed), so a private field cannot reach an export.

pub mod calendar;
pub mod feed;
pub mod geo;
pub mod graph;
pub mod table;

use crate::error::{ApiError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    JsonLd,
    GeoJson,
    Csv,
    ICal,
    Atom,
}

/// What a list of places and actors can be exported as.
pub const DIRECTORY: &[Format] = &[Format::Json, Format::JsonLd, Format::GeoJson, Format::Csv];
/// The agenda: the directory's formats and iCalendar.
pub const AGENDA: &[Format] = &[
    Format::Json,
    Format::JsonLd,
    Format::GeoJson,
    Format::Csv,
    Format::ICal,
];
/// One element: the directory's formats, and iCalendar for an event (« Ajouter à mon agenda »).
pub fn of_element(kind: crate::element::Kind) -> &'static [Format] {
    match kind {
        crate::element::Kind::Event => AGENDA,
        _ => DIRECTORY,
    }
}

/// The live feed: JSON and Atom.
pub const LIVE: &[Format] = &[Format::Json, Format::Atom];

impl Format {
    const ALL: [Format; 6] = [
        Format::Json,
        Format::JsonLd,
        Format::GeoJson,
        Format::Csv,
        Format::ICal,
        Format::Atom,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::JsonLd => "jsonld",
            Format::GeoJson => "geojson",
            Format::Csv => "csv",
            Format::ICal => "ics",
            Format::Atom => "atom",
        }
    }

    /// The media type without parameters, as Accept names it.
    fn essence(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::JsonLd => "application/ld+json",
            Format::GeoJson => "application/geo+json",
            Format::Csv => "text/csv",
            Format::ICal => "text/calendar",
            Format::Atom => "application/atom+xml",
        }
    }

    /// The Content-Type of the answer.
    pub fn content_type(self) -> String {
        match self {
            Format::Csv => "text/csv; charset=utf-8; header=present".into(),
            other => format!("{}; charset=utf-8", other.essence()),
        }
    }

    pub fn from_extension(extension: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == extension)
    }

    /// The offered format the Accept header prefers (highest q, then first listed), if any;
    /// `*/*` alone and an absent header choose none, so the read answers JSON.
    pub fn from_accept(accept: &str, offered: &[Format]) -> Option<Format> {
        let mut best: Option<(f32, Format)> = None;
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let essence = parts.next().unwrap_or_default().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let Some(format) = offered.iter().copied().find(|f| f.essence() == essence) else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, format));
            }
        }
        best.map(|(_, f)| f)
    }
}

/// The format of a read: its path's extension (404 for one this read does not offer), else the
/// Accept header's choice, else JSON.
pub fn choose(
    extension: Option<&str>,
    accept: Option<&str>,
    offered: &[Format],
) -> Result<Format, ApiError> {
    match extension {
        Some(ext) => Format::from_extension(ext)
            .filter(|f| offered.contains(f))
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound)),
        None => Ok(accept
            .and_then(|a| Format::from_accept(a, offered))
            .unwrap_or(Format::Json)),
    }
}

/// An element as a one-item list, for exporting it alone.
pub fn item_of(e: &crate::element::view::ElementView) -> crate::search::Item {
    crate::search::Item {
        id: e.id.clone(),
        slug: e.slug.clone(),
        kind: e.kind.as_str().to_string(),
        type_: e.type_.clone(),
        name: e.name.clone(),
        short_description: e.short_description.clone(),
        lat: e.lat,
        lon: e.lon,
        commune: crate::search::CommuneRef {
            code: e.address.commune_code.clone(),
            name: e.address.locality.clone(),
        },
        tags: e.tags.clone(),
        distance_km: None,
        start: e.start.clone(),
        end: e.end.clone(),
        logo: e.logo.as_ref().map(|l| l.small.url.clone()),
    }
}

/// A list of items in a format other than the API's JSON (which the caller writes itself):
/// the body's text. `now` stamps a calendar.
pub fn items(format: Format, items: &[crate::search::Item], site: &str, now: i64) -> String {
    match format {
        Format::JsonLd => graph::graph(items, site).to_string(),
        Format::GeoJson => serde_json::to_string(&geo::collection(items, site)).unwrap_or_default(),
        Format::Csv => table::csv(items, site),
        Format::ICal => calendar::calendar(items, site, now),
        Format::Json | Format::Atom => serde_json::to_string(items).unwrap_or_default(),
    }
}

/// A path's last segment split from a known export extension: `e_1.geojson` → (`e_1`, Some).
pub fn split_extension(segment: &str) -> (&str, Option<&str>) {
    match segment.rsplit_once('.') {
        Some((stem, ext)) if Format::from_extension(ext).is_some() => (stem, Some(ext)),
        _ => (segment, None),
    }
}

/// An organization at Saint-Paul (La Réunion), placed when `lat` is given, for the tests.
#[cfg(test)]
pub(crate) fn sample(lat: Option<f64>) -> crate::search::Item {
    crate::search::Item {
        id: "e_1".into(),
        slug: "jardin-partage".into(),
        kind: "organization".into(),
        type_: Some("NGO".into()),
        name: "Jardin \"partagé\"".into(),
        short_description: None,
        lat,
        lon: lat.map(|_| 55.27),
        commune: crate::search::CommuneRef {
            code: "97415".into(),
            name: Some("Saint-Paul".into()),
        },
        tags: vec!["jardin".into(), "lien, social".into()],
        distance_km: None,
        start: None,
        end: None,
        logo: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_event_is_added_to_a_calendar() {
        assert_eq!(
            choose(Some("ics"), None, of_element(crate::element::Kind::Event)).unwrap(),
            Format::ICal
        );
        assert_eq!(
            choose(
                Some("ics"),
                None,
                of_element(crate::element::Kind::Organization)
            )
            .unwrap_err()
            .status(),
            404
        );
    }

    #[test]
    fn the_extension_wins_then_accept_then_json() {
        assert_eq!(
            choose(Some("geojson"), Some("text/csv"), DIRECTORY).unwrap(),
            Format::GeoJson
        );
        assert_eq!(
            choose(None, Some("text/csv"), DIRECTORY).unwrap(),
            Format::Csv
        );
        assert_eq!(choose(None, Some("*/*"), DIRECTORY).unwrap(), Format::Json);
        assert_eq!(choose(None, None, AGENDA).unwrap(), Format::Json);
        assert_eq!(
            choose(Some("ics"), None, DIRECTORY).unwrap_err().status(),
            404
        );
        assert_eq!(choose(Some("exe"), None, AGENDA).unwrap_err().status(), 404);
        let accept = "text/html;q=0.9, application/geo+json;q=0.5, text/calendar;q=0.8";
        assert_eq!(Format::from_accept(accept, AGENDA), Some(Format::ICal));
        assert_eq!(
            Format::from_accept(accept, DIRECTORY),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::from_accept("text/csv;q=0", DIRECTORY), None);
        assert_eq!(
            Format::from_accept("Application/Atom+XML", LIVE),
            Some(Format::Atom)
        );
    }

    #[test]
    fn extensions_split_only_when_known() {
        assert_eq!(split_extension("e_1.geojson"), ("e_1", Some("geojson")));
        assert_eq!(split_extension("e_1"), ("e_1", None));
        assert_eq!(split_extension("mon.site"), ("mon.site", None));
        assert_eq!(
            Format::Csv.content_type(),
            "text/csv; charset=utf-8; header=present"
        );
        assert_eq!(
            Format::Atom.content_type(),
            "application/atom+xml; charset=utf-8"
        );
    }
}
