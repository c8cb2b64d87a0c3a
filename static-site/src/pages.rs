//! One view model per page template.

use crate::Rendered;
use crate::labels;
use crate::nav::{self, NavItem};
use askama::Template;

/// What the base layout needs: the navigation and the path of the page shown.
pub struct Layout {
    pub nav: Vec<NavItem>,
    pub current: &'static str,
}

impl Layout {
    pub fn at(current: &'static str) -> Layout {
        Layout {
            nav: nav::items(current),
            current,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct Home {
    pub layout: Layout,
    /// (field of `/api/stats`, French words after the number)
    pub counters: Vec<(&'static str, &'static str)>,
}

/// The counters the home page shows, in Communecter's order.
pub const COUNTERS: [(&str, &str); 8] = [
    ("citizens", "citoyen·nes"),
    ("associations", "associations"),
    ("businesses", "entreprises"),
    ("groups", "groupes"),
    ("public_services", "services publics"),
    ("projects", "projets"),
    ("events", "événements"),
    ("places", "lieux"),
];

/// One département's open-data files, as the open-data page lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub code: String,
    pub name: String,
    pub elements: usize,
    pub geojson_bytes: usize,
    pub csv_bytes: usize,
}

#[derive(Template)]
#[template(path = "open_data.html")]
pub struct OpenData {
    pub layout: Layout,
    pub datasets: Vec<Dataset>,
    /// The day the files were written, in French.
    pub date: String,
}

impl OpenData {
    /// The page with the files the build wrote from the database, on `date` (YYYY-MM-DD).
    pub fn with_datasets(datasets: Vec<Dataset>, date: &str) -> OpenData {
        OpenData {
            layout: Layout::at("/donnees/"),
            datasets,
            date: labels::date(&format!("{date}T12:00:00Z")),
        }
    }

    /// A size for people: "12,3 Ko".
    pub fn size(bytes: &usize) -> String {
        let kilo = *bytes as f64 / 1000.0;
        format!("{kilo:.1} Ko").replace('.', ",")
    }
}

/// `/carte/integree/`: the map made for an iframe, rendered by the edge (it may be framed by
/// any site, unlike every other page); the island reads its configuration from the address.
#[derive(Template)]
#[template(path = "map_embed.html")]
pub struct MapEmbedPage {
    pub title: String,
}

impl MapEmbedPage {
    /// `titre` from the address, or a plain title.
    pub fn new(title: Option<&str>) -> MapEmbedPage {
        let title: String = title.unwrap_or_default().trim().chars().take(80).collect();
        MapEmbedPage {
            title: if title.is_empty() {
                "Carte des acteurs".into()
            } else {
                title
            },
        }
    }
}

/// `/carte/integrer/`: builds an embeddable map and the code to paste.
#[derive(Template)]
#[template(path = "map_builder.html")]
pub struct MapBuilderPage {
    pub layout: Layout,
    /// (value, label, checked at first)
    pub kinds: Vec<(&'static str, &'static str, bool)>,
}

/// `/importer/`: a file of elements checked, then imported (the island calls the API).
#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub max_rows: usize,
}

/// The page of a mail's unsubscribe link: it asks (mail scanners follow links), then says it
/// is done.
#[derive(Template)]
#[template(path = "unsubscribe.html")]
pub struct Unsubscribe {
    pub layout: Layout,
    /// What the link leaves, in words.
    pub kinds: Vec<&'static str>,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "not_found.html")]
pub struct NotFound {
    pub layout: Layout,
}

/// `/hors-ligne/`: what the service worker shows for a page it has not kept, without network.
#[derive(Template)]
#[template(path = "offline.html")]
pub struct Offline {
    pub layout: Layout,
}

#[derive(Template)]
#[template(path = "map.html")]
pub struct Map {
    pub layout: Layout,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignIn {
    pub layout: Layout,
    pub ttl_minutes: i64,
}

#[derive(Template)]
#[template(path = "profile.html")]
pub struct Profile {
    pub layout: Layout,
    pub max_name: usize,
    /// (field, French label) for each field a person may make public.
    pub public_fields: Vec<(&'static str, &'static str)>,
    /// (kind, French label) for each kind of notification, whose mail cadence one chooses.
    pub notification_kinds: Vec<(&'static str, &'static str)>,
}

/// One kind in the element form, with its types.
pub struct KindChoice {
    pub code: &'static str,
    pub label: &'static str,
    /// (type, French label)
    pub types: Vec<(&'static str, &'static str)>,
}

/// `/referencer/`: create an element, or edit one (`?fiche=<id>`), through the API.
#[derive(Template)]
#[template(path = "element_form.html")]
pub struct ElementForm {
    pub layout: Layout,
    pub kinds: Vec<KindChoice>,
    pub stages: Vec<(&'static str, &'static str)>,
    pub sections: Vec<(&'static str, &'static str)>,
    pub max_name: usize,
    pub max_short_description: usize,
    pub max_description: usize,
}

impl Default for ElementForm {
    fn default() -> ElementForm {
        use domain::element::{Kind, SECTIONS, STAGES, input};
        let labelled = |codes: &[&'static str], label: fn(&str) -> &'static str| {
            codes.iter().map(|c| (*c, label(c))).collect()
        };
        ElementForm {
            layout: Layout::at("/referencer/"),
            kinds: Kind::ALL
                .iter()
                .map(|k| KindChoice {
                    code: k.as_str(),
                    label: labels::kind(k.as_str()),
                    types: labelled(k.types(), |t| labels::kind_and_type("", Some(t))),
                })
                .collect(),
            stages: labelled(&STAGES, labels::stage),
            sections: labelled(&SECTIONS, labels::section),
            max_name: input::MAX_NAME,
            max_short_description: input::MAX_SHORT_DESCRIPTION,
            max_description: input::MAX_DESCRIPTION,
        }
    }
}

fn public_field_label(field: &str) -> &'static str {
    match field {
        "display_name" => "Mon nom affiché",
        "home_scope" => "Ma commune",
        _ => "Autre",
    }
}

/// Every page the static build writes.
pub fn all() -> askama::Result<Vec<Rendered>> {
    let profile = Profile {
        layout: Layout::at("/profil/"),
        max_name: domain::profile::MAX_DISPLAY_NAME,
        public_fields: domain::profile::PUBLIC_FIELDS
            .iter()
            .map(|f| (*f, public_field_label(f)))
            .collect(),
        notification_kinds: domain::notification::Kind::ALL
            .iter()
            .map(|k| (k.as_str(), domain::notification::label(*k)))
            .collect(),
    };
    Ok(vec![
        Rendered {
            file: "index.html".into(),
            html: Home {
                layout: Layout::at("/"),
                counters: COUNTERS.to_vec(),
            }
            .render()?,
        },
        Rendered {
            file: "donnees/index.html".into(),
            html: OpenData::with_datasets(Vec::new(), "").render()?,
        },
        Rendered {
            file: "carte/integrer/index.html".into(),
            html: MapBuilderPage {
                layout: Layout::at(""),
                kinds: domain::element::Kind::ALL
                    .iter()
                    .map(|k| {
                        (
                            k.as_str(),
                            labels::kind(k.as_str()),
                            k.as_str() == "organization",
                        )
                    })
                    .collect(),
            }
            .render()?,
        },
        Rendered {
            file: "importer/index.html".into(),
            html: ImportPage {
                layout: Layout::at(""),
                max_rows: domain::import::MAX_ROWS,
            }
            .render()?,
        },
        Rendered {
            file: "carte/index.html".into(),
            html: Map {
                layout: Layout::at("/carte/"),
            }
            .render()?,
        },
        Rendered {
            file: "connexion/index.html".into(),
            html: SignIn {
                layout: Layout::at("/connexion/"),
                ttl_minutes: domain::account::SIGN_IN_TTL_SECS / 60,
            }
            .render()?,
        },
        Rendered {
            file: "referencer/index.html".into(),
            html: ElementForm::default().render()?,
        },
        Rendered {
            file: "profil/index.html".into(),
            html: profile.render()?,
        },
        Rendered {
            file: "don/index.html".into(),
            html: crate::funding::DonatePage::default().render()?,
        },
        Rendered {
            file: "don/paiement-test/index.html".into(),
            html: crate::funding::TestCheckoutPage {
                layout: Layout::at(""),
            }
            .render()?,
        },
        Rendered {
            file: "hors-ligne/index.html".into(),
            html: Offline {
                layout: Layout::at(""),
            }
            .render()?,
        },
        Rendered {
            file: "404.html".into(),
            html: NotFound {
                layout: Layout::at(""),
            }
            .render()?,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(file: &str) -> String {
        all()
            .unwrap()
            .into_iter()
            .find(|p| p.file == file)
            .unwrap()
            .html
    }

    #[test]
    fn every_page_is_french_with_landmarks_and_no_inline_script() {
        for rendered in all().unwrap() {
            let html = &rendered.html;
            assert!(html.contains(r#"<html lang="fr">"#), "{}", rendered.file);
            for landmark in ["<header", "<nav", "<main", "<footer", "<h1"] {
                assert!(
                    html.contains(landmark),
                    "{} lacks {landmark}",
                    rendered.file
                );
            }
            // Every <script> must load a file: the CSP forbids inline code.
            for tag in html.split("<script").skip(1) {
                assert!(
                    tag.trim_start().contains("src=\"/assets/"),
                    "{}",
                    rendered.file
                );
            }
            assert!(
                !html.contains("style=\""),
                "{} has an inline style",
                rendered.file
            );
        }
    }

    #[test]
    fn every_form_control_has_a_label() {
        for rendered in all().unwrap() {
            let html = &rendered.html;
            // Hidden inputs are not controls.
            let inputs = html.split("<input").skip(1);
            for tag in inputs.filter(|t| {
                !t.split('>')
                    .next()
                    .unwrap_or_default()
                    .contains("type=\"hidden\"")
            }) {
                let id = tag
                    .split("id=\"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .unwrap_or_else(|| panic!("{}: an input without id", rendered.file));
                assert!(
                    html.contains(&format!("for=\"{id}\"")),
                    "{}: #{id} has no label",
                    rendered.file
                );
            }
        }
    }

    #[test]
    fn home_loads_the_health_island() {
        let home = page("index.html");
        assert!(home.contains(r#"src="/assets/js/health.js""#));
        assert!(home.contains(r#"data-island="health""#));
        assert!(home.contains(r#"aria-current="page""#));
    }

    #[test]
    fn profile_offers_exactly_the_fields_that_may_be_public() {
        let profile = page("profil/index.html");
        for field in domain::profile::PUBLIC_FIELDS {
            assert!(profile.contains(&format!(r#"value="{field}""#)), "{field}");
        }
        assert!(!profile.contains(r#"value="email""#));
        assert!(page("connexion/index.html").contains("valables 15 minutes"));
    }
}

/// `/territoire`: choose « ma commune », the place the site's lists start from.
#[derive(Template)]
#[template(path = "territory.html")]
pub struct TerritoryPage {
    pub layout: Layout,
    /// The visitor's territory now, as people name it.
    pub mine: Option<String>,
    /// The place typed, when it named several or none.
    pub typed: String,
    /// Where to go back once chosen.
    pub back: String,
    /// Namesakes to choose between, each with the link that chooses it.
    pub namesakes: Vec<crate::query::Link>,
    pub error: Option<String>,
}

impl TerritoryPage {
    pub fn new(back: &str, mine: Option<&domain::zone::ZoneRow>) -> TerritoryPage {
        TerritoryPage {
            layout: Layout::at(""),
            mine: mine.map(domain::place::label),
            typed: String::new(),
            back: back.to_string(),
            namesakes: Vec::new(),
            error: None,
        }
    }

    /// Offers the namesakes of a name that named several.
    pub fn offer(&mut self, back: &str, rows: &[domain::zone::ZoneRow]) {
        self.namesakes = rows
            .iter()
            .map(|zone| {
                let label = domain::place::label(zone);
                crate::query::Link {
                    href: crate::query::href(
                        "/territoire",
                        &[
                            ("ou".to_string(), label.clone()),
                            ("retour".to_string(), back.to_string()),
                        ],
                    ),
                    label: match &zone.departement_name {
                        Some(d) => format!("{label}, {d}"),
                        None => label,
                    },
                }
            })
            .collect();
    }
}
