//! The links of a list's page, built from its query: the same filters elsewhere (a wider
//! place, the next or previous page), a filter taken off. Paging keeps the cursors of the pages
//! before (`avant`, oldest first), so that « Page précédente » works without JavaScript.

use domain::zone::ZoneRow;

pub type Pairs = Vec<(String, String)>;

/// Where the results are (`ou`, `scope`, `rayon`) and which page (`cursor`, `avant`): what
/// moving elsewhere or to another page replaces.
const PLACE_AND_PAGE: [&str; 6] = ["ou", "scope", "near", "rayon", "cursor", "avant"];

/// `path?query`, or `path` alone.
pub fn href(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    format!("{path}?{}", query.finish())
}

fn without(pairs: &[(String, String)], keys: &[&str]) -> Pairs {
    pairs
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .cloned()
        .collect()
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

/// A link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub label: String,
}

/// The pages around the one shown.
#[derive(Debug, Default)]
pub struct Pager {
    /// 1 for the first page.
    pub number: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(path: &str, pairs: &[(String, String)], next_cursor: Option<&str>) -> Pager {
        let base = without(pairs, &["cursor", "avant"]);
        let before: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "avant")
            .map(|(_, v)| v.as_str())
            .collect();
        let current = pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "cursor")
            .map(|(_, v)| v.as_str())
            .filter(|c| !c.is_empty());
        let with = |trail: &[&str], cursor: Option<&str>| {
            let mut query = base.clone();
            query.extend(trail.iter().map(|c| pair("avant", c)));
            query.extend(cursor.map(|c| pair("cursor", c)));
            href(path, &query)
        };
        let previous = current.map(|_| match before.split_last() {
            Some((last, rest)) => with(rest, Some(last)),
            None => with(&[], None),
        });
        let next = next_cursor.map(|next| {
            let mut trail = before.clone();
            trail.extend(current);
            with(&trail, Some(next))
        });
        Pager {
            number: current.map_or(1, |_| before.len() + 2),
            previous,
            next,
        }
    }
}

/// What a list's heading says: « Les 20 premiers résultats », « Résultats 21 à 40 — Lyon »,
/// « Aucun résultat ».
pub fn summary(count: usize, more: bool, place: Option<&str>, page: usize, size: usize) -> String {
    let first = (page.max(1) - 1) * size + 1;
    let count = match (count, more, page) {
        (0, _, _) => "Aucun résultat".to_string(),
        (1, false, 1) => "1 résultat".to_string(),
        (n, false, 1) => format!("{n} résultats"),
        (n, true, 1) => format!("Les {n} premiers résultats"),
        (n, _, _) => format!("Résultats {first} à {}", first + n - 1),
    };
    match place {
        Some(place) => format!("{count} — {place}"),
        None => count,
    }
}

/// Where a list is, and where else it could be: the place's name, the wider zones and France,
/// the namesakes of a name that named several, and the link to choose « ma commune ».
#[derive(Debug, Default)]
pub struct PlaceBar {
    /// The place shown, as people name it; None for France.
    pub label: Option<String>,
    /// It is the visitor's own territory (« ma commune »).
    pub remembered: bool,
    pub wider: Vec<Link>,
    pub namesakes: Vec<Link>,
    /// The visitor's territory, if any, and where to change it.
    pub mine: Option<String>,
    pub choose_href: String,
}

impl PlaceBar {
    /// `place`: the zone shown; `namesakes`: the zones a typed name named; `mine`: the
    /// visitor's territory.
    pub fn new(
        path: &str,
        pairs: &[(String, String)],
        place: Option<&ZoneRow>,
        namesakes: &[ZoneRow],
        mine: Option<&ZoneRow>,
    ) -> PlaceBar {
        let filters = without(pairs, &PLACE_AND_PAGE);
        let at = |extra: (String, String)| {
            let mut query = filters.clone();
            query.push(extra);
            href(path, &query)
        };
        let mut wider: Vec<Link> = place
            .map(domain::place::wider)
            .unwrap_or_default()
            .into_iter()
            .map(|(id, label)| Link {
                href: at(pair("scope", &id)),
                label,
            })
            .collect();
        if place.is_some() {
            wider.push(Link {
                href: at(pair("ou", "")),
                label: "Toute la France".into(),
            });
        }
        let mut back = pairs.to_vec();
        back.retain(|(k, _)| k != "cursor" && k != "avant");
        PlaceBar {
            label: place.map(domain::place::label),
            remembered: place.is_some() && place.map(|p| &p.id) == mine.map(|m| &m.id),
            wider,
            namesakes: namesakes
                .iter()
                .map(|zone| Link {
                    href: at(pair("ou", &domain::place::label(zone))),
                    label: namesake_label(zone),
                })
                .collect(),
            mine: mine.map(domain::place::label),
            choose_href: href("/territoire", &[pair("retour", &href(path, &back))]),
        }
    }
}

/// A namesake as offered: « Saint-Paul (974), La Réunion ».
fn namesake_label(zone: &ZoneRow) -> String {
    match &zone.departement_name {
        Some(name) => format!("{}, {name}", domain::place::label(zone)),
        None => domain::place::label(zone),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Pairs {
        form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn pages_chain_forward_and_back_without_javascript() {
        let first = Pager::new("/recherche", &pairs("q=jardin"), Some("C2"));
        assert_eq!(first.number, 1);
        assert_eq!(first.previous, None);
        assert_eq!(first.next.as_deref(), Some("/recherche?q=jardin&cursor=C2"));
        let second = Pager::new("/recherche", &pairs("q=jardin&cursor=C2"), Some("C3"));
        assert_eq!(second.number, 2);
        assert_eq!(second.previous.as_deref(), Some("/recherche?q=jardin"));
        assert_eq!(
            second.next.as_deref(),
            Some("/recherche?q=jardin&avant=C2&cursor=C3")
        );
        let third = Pager::new("/recherche", &pairs("q=jardin&avant=C2&cursor=C3"), None);
        assert_eq!(third.number, 3);
        assert_eq!(
            third.previous.as_deref(),
            Some("/recherche?q=jardin&cursor=C2")
        );
        assert_eq!(third.next, None);
    }

    #[test]
    fn headings_count_from_the_page_s_first_result() {
        assert_eq!(summary(0, false, None, 1, 20), "Aucun résultat");
        assert_eq!(
            summary(1, false, Some("Lyon (69)"), 1, 20),
            "1 résultat — Lyon (69)"
        );
        assert_eq!(summary(20, true, None, 1, 20), "Les 20 premiers résultats");
        assert_eq!(summary(20, true, None, 2, 20), "Résultats 21 à 40");
        assert_eq!(
            summary(5, false, Some("Lyon (69)"), 3, 20),
            "Résultats 41 à 45 — Lyon (69)"
        );
    }

    fn villeurbanne() -> ZoneRow {
        serde_json::from_value(serde_json::json!({
            "id": "commune:69266", "kind": "commune", "code": "69266", "name": "Villeurbanne",
            "population": 150000, "lat": 45.77, "lon": 4.88, "departement_code": "69",
            "departement_name": "Rhône", "region_code": "84", "region_name": "Auvergne-Rhône-Alpes",
            "related": "69100"
        }))
        .unwrap()
    }

    #[test]
    fn a_place_widens_keeping_the_filters_and_leaving_the_page() {
        let q = pairs("q=jardin&kind=organization&ou=Villeurbanne&cursor=C2&avant=C1");
        let bar = PlaceBar::new("/recherche", &q, Some(&villeurbanne()), &[], None);
        assert_eq!(bar.label.as_deref(), Some("Villeurbanne (69)"));
        let hrefs: Vec<&str> = bar.wider.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "/recherche?q=jardin&kind=organization&scope=departement%3A69",
                "/recherche?q=jardin&kind=organization&scope=region%3A84",
                "/recherche?q=jardin&kind=organization&ou=",
            ]
        );
        assert_eq!(bar.wider[2].label, "Toute la France");
        assert!(!bar.remembered);
        assert_eq!(
            bar.choose_href,
            "/territoire?retour=%2Frecherche%3Fq%3Djardin%26kind%3Dorganization%26ou%3DVilleurbanne"
        );
        let mine = PlaceBar::new(
            "/recherche",
            &q,
            Some(&villeurbanne()),
            &[],
            Some(&villeurbanne()),
        );
        assert!(mine.remembered);
        assert_eq!(mine.mine.as_deref(), Some("Villeurbanne (69)"));
        let france = PlaceBar::new("/agenda/", &pairs("ou="), None, &[], None);
        assert!(france.wider.is_empty() && france.label.is_none());
    }

    #[test]
    fn namesakes_are_offered_by_a_name_that_finds_each_again() {
        let mut other = villeurbanne();
        other.departement_code = Some("01".into());
        other.departement_name = Some("Ain".into());
        let bar = PlaceBar::new(
            "/agenda/",
            &pairs("ou=Villeurbanne"),
            None,
            &[villeurbanne(), other],
            None,
        );
        assert_eq!(bar.namesakes[0].label, "Villeurbanne (69), Rhône");
        assert_eq!(bar.namesakes[1].href, "/agenda/?ou=Villeurbanne+%2801%29");
    }
}
