//! The directory's pages — an element, a search, a zone, the agenda — built from the domain's
//! views. The edge renders them on demand; the generator can pre-render the same structs.

use crate::labels;
use crate::pages::Layout;
use crate::query::{Link, Pager, PlaceBar};
use askama::Template;
use domain::element::Kind;
use domain::element::view::ElementView;
use domain::search::Item;
use domain::zone::{NamedCode, ZoneView};

/// One line of a result list.
pub struct ResultItem {
    pub slug: String,
    /// Its logo, small (`/media/…`).
    pub logo: Option<String>,
    pub name: String,
    pub kind_label: &'static str,
    pub place: String,
    pub short_description: Option<String>,
    pub distance: Option<String>,
    pub start: Option<String>,
}

impl From<Item> for ResultItem {
    fn from(item: Item) -> ResultItem {
        let departement =
            Some(domain::zone::departement_of_commune(&item.commune.code).to_string());
        ResultItem {
            kind_label: labels::kind_and_type(&item.kind, item.type_.as_deref()),
            place: item.commune.name.unwrap_or(item.commune.code),
            distance: item
                .distance_km
                .map(|d| format!("{d:.1}").replace('.', ",")),
            start: item
                .start
                .as_deref()
                .map(|s| labels::local_date(departement.as_deref(), s)),
            slug: item.slug,
            name: item.name,
            short_description: item.short_description,
            logo: item.logo,
        }
    }
}

#[derive(Template)]
#[template(path = "element.html")]
pub struct ElementPage {
    pub layout: Layout,
    pub e: ElementView,
    pub kind_label: &'static str,
    pub locality: String,
    pub jsonld: String,
    pub start_label: Option<String>,
    pub end_label: Option<String>,
    pub price_label: Option<String>,
    pub created_label: String,
    /// The page's absolute address, for search engines (a fresh copy points back to it).
    pub canonical: String,
    /// The join button's words, for the kinds people can join.
    pub join_label: Option<&'static str>,
    /// Tells the page's island whether this copy is out of date.
    pub version: String,
    /// A project's stage or a classified ad's section, in French.
    pub stage_label: Option<&'static str>,
    pub section_label: Option<&'static str>,
    /// Its opening hours in French, a line a group of days.
    pub hours_lines: Vec<String>,
    /// Where it stands on OpenStreetMap's own site, when it has a position.
    pub osm_href: Option<String>,
    /// « 3 abonné·es, 1 membre ».
    pub links_label: String,
    /// What shows it best (banner, photo or logo), absolute, for Open Graph.
    pub og_image: Option<String>,
}

impl ElementPage {
    /// Organizations and projects have a cooperative space (proposals and votes).
    pub fn cooperative(&self) -> bool {
        matches!(self.e.kind.as_str(), "organization" | "project")
    }

    pub fn new(e: ElementView, site: &str) -> ElementPage {
        let jsonld =
            domain::element::jsonld::script_text(&domain::element::jsonld::document(&e, site));
        ElementPage {
            layout: Layout::at(""),
            links_label: labels::links(e.links.followers, e.links.members),
            osm_href: match (e.lat, e.lon) {
                (Some(lat), Some(lon)) => Some(format!(
                    "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
                )),
                _ => None,
            },
            hours_lines: domain::element::hours::in_french(&e.opening_hours),
            kind_label: labels::kind_and_type(e.kind.as_str(), e.type_.as_deref()),
            locality: e
                .address
                .locality
                .clone()
                .unwrap_or_else(|| e.address.commune_code.clone()),
            start_label: e
                .start
                .as_deref()
                .map(|s| labels::local_date(e.departement.as_deref(), s)),
            end_label: e
                .end
                .as_deref()
                .map(|s| labels::local_date(e.departement.as_deref(), s)),
            price_label: e.price_cents.map(|p| {
                let currency = e.currency.as_deref().unwrap_or("EUR");
                if p == 0 {
                    "Gratuit".to_string()
                } else {
                    format!("{},{:02} {currency}", p / 100, p % 100)
                }
            }),
            created_label: labels::local_date(e.departement.as_deref(), &e.created_at),
            canonical: format!("{site}{}", e.page),
            og_image: e
                .images()
                .first()
                .map(|picture| format!("{site}{}", picture.url)),
            version: e.version(),
            stage_label: e.stage.as_deref().map(labels::stage),
            section_label: e.section.as_deref().map(labels::section),
            join_label: e.kind.member_role().map(labels::join),
            jsonld,
            e,
        }
    }
}

/// A choice of a select: (value, French label, selected).
pub type Choice = (&'static str, &'static str, bool);

/// The types of the kinds that have some, grouped under the kind's name, for a select.
pub fn type_groups(kinds: &[Kind], selected: &[String]) -> Vec<(&'static str, Vec<Choice>)> {
    kinds
        .iter()
        .filter(|k| !k.types().is_empty())
        .map(|k| {
            let choices = k
                .types()
                .iter()
                .filter(|t| **t != "others")
                .map(|t| {
                    let label = labels::kind_and_type(k.as_str(), Some(t));
                    (*t, label, selected.iter().any(|s| s == t))
                })
                .collect();
            (labels::kind(k.as_str()), choices)
        })
        .collect()
}

/// The search's page: the form (words, place, kinds, type, radius), the active tags, where the
/// results are and where else they could be, the results and the pages around.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub q: String,
    /// The « Où ? » field: the place as people name it.
    pub place: String,
    pub kinds: Vec<Choice>,
    pub types: Vec<(&'static str, Vec<Choice>)>,
    pub radius: Vec<Choice>,
    /// Active tags, each with the link that takes it off.
    pub tags: Vec<Link>,
    /// The API's query for exactly these results (no page): for the map and the exports.
    pub api_query: String,
    /// The page shown (`&cursor=…`, or nothing on the first), for the exports of exactly it.
    pub cursor_param: String,
    pub items: Vec<ResultItem>,
    pub summary: String,
    /// Why a search found nothing, when the words typed explain it.
    pub hint: Option<&'static str>,
    pub pager: Pager,
    pub bar: PlaceBar,
    pub error: Option<String>,
}

/// Radii offered around a place, in km; none searches within its borders.
pub const RADII: [(&str, &str); 7] = [
    ("1", "1 km"),
    ("2", "2 km"),
    ("5", "5 km"),
    ("10", "10 km"),
    ("20", "20 km"),
    ("50", "50 km"),
    ("100", "100 km"),
];

impl SearchPage {
    /// A last word of one or two letters is searched whole: said when nothing is found.
    pub fn hint(q: &str, found: usize) -> Option<&'static str> {
        (found == 0 && domain::search::words::last_word_is_whole(q)).then_some(
            "Un dernier mot de moins de trois lettres est cherché en entier : \
             avec trois lettres ou plus, la recherche trouve aussi les mots qui commencent ainsi.",
        )
    }

    pub fn kinds(checked: &[String]) -> Vec<Choice> {
        Kind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str(),
                    labels::kind(k.as_str()),
                    checked.iter().any(|c| c == k.as_str()),
                )
            })
            .collect()
    }

    pub fn radius(selected: Option<&str>) -> Vec<Choice> {
        RADII
            .iter()
            .map(|(v, label)| (*v, *label, selected == Some(*v)))
            .collect()
    }

    /// The active tags, each with the link to this search without it (first page).
    pub fn tags(path: &str, pairs: &[(String, String)]) -> Vec<Link> {
        let active: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k == "tags")
            .flat_map(|(_, v)| v.split(','))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        active
            .iter()
            .map(|tag| {
                let rest: Vec<(String, String)> = pairs
                    .iter()
                    .filter(|(k, _)| k != "cursor" && k != "avant")
                    .filter_map(|(k, v)| {
                        if k != "tags" {
                            return Some((k.clone(), v.clone()));
                        }
                        let left: Vec<&str> = v
                            .split(',')
                            .map(str::trim)
                            .filter(|t| !t.is_empty() && t != tag)
                            .collect();
                        (!left.is_empty()).then(|| (k.clone(), left.join(",")))
                    })
                    .collect();
                Link {
                    href: crate::query::href(path, &rest),
                    label: tag.clone(),
                }
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "zone.html")]
pub struct ZonePage {
    pub layout: Layout,
    pub zone: ZoneView,
    pub population: Option<String>,
    pub kind_label: &'static str,
    pub items: Vec<ResultItem>,
    /// Paris, Lyon, Marseille: their arrondissements municipaux.
    pub arrondissements: Vec<NamedCode>,
    /// An arrondissement's commune.
    pub parent: Option<NamedCode>,
    /// Where the map finds the zone's contour (a commune's), or else its position.
    pub shape_url: String,
    /// The newest element listed: a page published before a newer one is refreshed.
    pub newest: String,
}

impl ZonePage {
    /// What a zone page lists: the latest elements referenced in the zone (and in what it
    /// stands for, which its row already says: no lookup of the zone again).
    pub fn plan(
        zone: &domain::zone::ZoneRow,
    ) -> Result<domain::search::Plan, domain::error::ApiError> {
        let mut plan = domain::search::Plan::from_query(&[
            ("scope".to_string(), zone.id.clone()),
            ("limit".to_string(), "50".to_string()),
        ])?;
        plan.areas = domain::zone::areas(&plan.scopes, &[zone.into()], "scope")?;
        Ok(plan)
    }

    /// `related`: what `store::zones::RELATED_COMMUNES` answers for a commune (its
    /// arrondissements, or its parent), empty for the other kinds.
    pub fn new(row: domain::zone::ZoneRow, items: Vec<Item>, related: Vec<NamedCode>) -> ZonePage {
        let (parent, arrondissements): (Vec<NamedCode>, Vec<NamedCode>) = related
            .into_iter()
            .partition(|c| row.parent.as_ref() == Some(&c.code));
        let zone = ZoneView::from(row);
        ZonePage {
            layout: Layout::at(""),
            kind_label: labels::zone_kind(&zone.kind),
            population: zone.population.map(labels::number),
            shape_url: format!("/api/zones/{}.geojson", zone.id),
            newest: items.first().map(|i| i.id.clone()).unwrap_or_default(),
            zone,
            items: items.into_iter().map(ResultItem::from).collect(),
            arrondissements,
            parent: parent.into_iter().next(),
        }
    }
}

/// One entry of the live feed, its date in words.
pub struct LiveEntry {
    /// The element's or the post's id (a post's discussion and report name it).
    pub id: String,
    pub slug: Option<String>,
    pub name: Option<String>,
    pub text: Option<String>,
    pub author: Option<String>,
    pub at: String,
}

impl From<domain::live::LiveItem> for LiveEntry {
    fn from(item: domain::live::LiveItem) -> LiveEntry {
        let departement = item
            .commune_code
            .as_deref()
            .map(domain::zone::departement_of_commune);
        LiveEntry {
            id: item.id.clone(),
            at: labels::local_date(departement, &item.at),
            slug: item.slug,
            name: item.name,
            text: item.text,
            author: item.author,
        }
    }
}

#[derive(Template)]
#[template(path = "live.html")]
pub struct LivePage {
    pub layout: Layout,
    /// The « Où ? » field.
    pub place: String,
    /// The zone shown, where a post goes (none for France).
    pub scope: Option<String>,
    pub items: Vec<LiveEntry>,
    pub pager: Pager,
    pub bar: PlaceBar,
    /// The API's query for this feed (no page), for the Atom feed.
    pub api_query: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "agenda.html")]
pub struct AgendaPage {
    pub layout: Layout,
    /// The « Où ? » field.
    pub place: String,
    /// The dates asked (`AAAA-MM-JJ`), as the date fields show them.
    pub from: String,
    pub to: String,
    pub types: Vec<(&'static str, Vec<Choice>)>,
    /// The API's query for exactly these events (no page): for the map, the exports and the
    /// calendar feed.
    pub api_query: String,
    /// The page shown (`&cursor=…`, or nothing on the first), for the exports of exactly it.
    pub cursor_param: String,
    pub items: Vec<ResultItem>,
    pub summary: String,
    pub pager: Pager,
    pub bar: PlaceBar,
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element() -> ElementView {
        let row: domain::element::view::ElementRow = serde_json::from_value(serde_json::json!({
            "id": "e_1", "slug": "vrac", "kind": "organization", "type": "NGO",
            "name": "<script>alert(1)</script> Vrac", "short_description": "Le \"vrac\" & le local",
            "description": null, "tags": "[\"<b>bio</b>\"]", "street": null, "postal_code": null,
            "commune_code": "97415", "commune_name": "Saint-Paul", "departement": "974", "region": "04",
            "lat": -21.0, "lon": 55.27, "start_at": null, "end_at": null, "all_day": 0, "stage": null,
            "section": null, "price_cents": null, "currency": null, "contact": null, "category": null,
            "url": "https://vrac.example/?a=1&b=2", "email": null, "phone": null, "open_edition": 0,
            "requires_approval": 0, "created_at": 0, "updated_at": 0
        }))
        .unwrap();
        row.view()
    }

    #[test]
    fn markup_in_names_is_escaped_everywhere_on_the_element_page() {
        let html = ElementPage::new(element(), "https://communs.example")
            .render()
            .unwrap();
        assert!(
            !html.contains("<script>alert"),
            "name escaped in HTML and JSON-LD"
        );
        let h1 = html
            .split("<h1")
            .nth(1)
            .unwrap()
            .split("</h1>")
            .next()
            .unwrap();
        assert!(
            h1.contains("&#60;script&#62;alert(1)&#60;/script&#62; Vrac"),
            "{h1}"
        );
        assert!(!html.contains("<b>bio</b>"));
        assert!(html.contains(r#"<script type="application/ld+json">"#));
        assert!(html.contains(r#""@type":"NGO""#));
        assert!(html.contains("Association"));
        let tag_link = html
            .split("/recherche?tags=")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(
            !tag_link.contains('<') && tag_link.contains("bio"),
            "{tag_link}"
        );
    }

    #[test]
    fn a_tag_taken_off_leaves_the_others_and_the_first_page() {
        let pairs: Vec<(String, String)> =
            [("q", "bio"), ("tags", "Jardin,Vélo"), ("cursor", "C2")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let tags = SearchPage::tags("/recherche", &pairs);
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].label, "Jardin");
        assert_eq!(tags[0].href, "/recherche?q=bio&tags=V%C3%A9lo");
        assert_eq!(tags[1].href, "/recherche?q=bio&tags=Jardin");
    }

    #[test]
    fn types_are_grouped_by_kind_in_french() {
        let groups = type_groups(&Kind::ALL, &["NGO".to_string()]);
        let names: Vec<&str> = groups.iter().map(|g| g.0).collect();
        assert_eq!(names, ["Organisation", "Événement", "Lieu"]);
        assert!(groups[0].1.contains(&("NGO", "Association", true)));
        assert!(
            groups[0]
                .1
                .contains(&("GovernmentOrganization", "Service public", false))
        );
    }

    #[test]
    fn a_short_last_word_explains_an_empty_answer() {
        assert!(SearchPage::hint("jardin ja", 0).is_some());
        assert!(SearchPage::hint("Ô", 0).is_some());
        assert_eq!(
            SearchPage::hint("jardin ja", 3),
            None,
            "something was found"
        );
        assert_eq!(
            SearchPage::hint("ja jar", 0),
            None,
            "the last word is a prefix"
        );
        assert_eq!(SearchPage::hint("", 0), None);
    }
}
