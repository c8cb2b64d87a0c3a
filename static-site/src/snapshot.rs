//! Pre-rendering from a copy of the database: a page for every element and for every commune,
//! département and région where something is referenced. Read with the statements and row
//! types the edge uses, rendered with the same view models.

use crate::Rendered;
use crate::directory::{ElementPage, ZonePage};
use crate::pages::Dataset;
use askama::Template;
use domain::element::view::ElementRow;
use domain::zone::ZoneRow;
use store::native::{Connection, rows};
use store::search::Arg;

/// Cloudflare takes at most 20,000 static files per Worker version on the free plan (100,000 on
/// the paid one): by default the whole site stays within the free plan's. The pages left out
/// are rendered by the edge when asked (`/e/<slug>/`, `/communes/<code>/`: the same templates).
pub const FREE_PLAN_FILES: usize = 20_000;

/// How many zone and element pages fit in `budget` files, given how many of each there are:
/// half each, and what one side does not use goes to the other.
pub fn share(budget: usize, zones: usize, elements: usize) -> (usize, usize) {
    let zones_kept = zones.min(budget.div_ceil(2).max(budget.saturating_sub(elements)));
    let elements_kept = elements.min(budget - zones_kept);
    (zones_kept, elements_kept)
}

/// Every département's elements as GeoJSON and CSV files (`donnees/departements/<code>.*`), and
/// the open-data page listing them with `date` (the day of the build).
pub fn open_data(db: &Connection, site: &str, date: &str) -> Result<Vec<Rendered>, String> {
    let mut by_departement: std::collections::BTreeMap<String, Vec<domain::search::Item>> =
        Default::default();
    for row in rows::<ElementRow>(db, store::elements::ALL, &[])? {
        let view = row.view();
        if let Some(code) = view.departement.clone() {
            by_departement
                .entry(code)
                .or_default()
                .push(domain::export::item_of(&view));
        }
    }
    let names: std::collections::HashMap<String, String> =
        rows::<ZoneRow>(db, store::zones::WITH_ELEMENTS, &[])?
            .into_iter()
            .filter(|z| z.kind == domain::zone::ZoneKind::Departement)
            .map(|z| (z.code, z.name))
            .collect();
    let mut files = Vec::new();
    let mut datasets = Vec::new();
    for (code, items) in by_departement {
        let geojson = serde_json::to_string(&domain::export::geo::collection(&items, site))
            .map_err(|e| e.to_string())?;
        let csv = domain::export::table::csv(&items, site);
        datasets.push(Dataset {
            name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
            elements: items.len(),
            geojson_bytes: geojson.len(),
            csv_bytes: csv.len(),
            code: code.clone(),
        });
        files.push(Rendered {
            file: format!("donnees/departements/{code}.geojson"),
            html: geojson,
        });
        files.push(Rendered {
            file: format!("donnees/departements/{code}.csv"),
            html: csv,
        });
    }
    let page = crate::pages::OpenData::with_datasets(datasets, date);
    files.push(Rendered {
        file: "donnees/index.html".into(),
        html: page.render().map_err(|e| e.to_string())?,
    });
    Ok(files)
}

/// The pages the database gives, at most `budget` files: the zones' (régions, then
/// départements, then communes) and the most recently changed elements', shared by `share`.
/// `site` is the public origin, for canonical links and JSON-LD.
pub fn pages(db: &Connection, site: &str, budget: usize) -> Result<Vec<Rendered>, String> {
    let mut pages = Vec::new();
    let mut zones = rows::<ZoneRow>(db, store::zones::WITH_ELEMENTS, &[])?;
    let rank = |kind: &str| {
        ["region", "departement", "commune"]
            .iter()
            .position(|k| *k == kind)
    };
    zones.retain(|z| rank(z.kind.as_str()).is_some());
    zones.sort_by_key(|z| rank(z.kind.as_str()));
    let limit = store::search::Arg::Int(budget as i64);
    let elements = rows::<ElementRow>(db, store::elements::RECENT, &[limit])?;
    let (zones_kept, elements_kept) = share(budget, zones.len(), elements.len());
    zones.truncate(zones_kept);
    for row in elements.into_iter().take(elements_kept) {
        let page = ElementPage::new(row.view(), site);
        pages.push(Rendered {
            file: format!("e/{}/index.html", page.e.slug),
            html: page.render().map_err(|e| e.to_string())?,
        });
    }
    for row in zones {
        let folder = match row.kind.as_str() {
            "commune" => "communes",
            "departement" => "departements",
            "region" => "regions",
            _ => continue,
        };
        let file = format!("{folder}/{}/index.html", row.code);
        let plan = ZonePage::plan(&row).map_err(|e| format!("{}: {e:?}", row.id))?;
        let found = store::native::search(db, &plan)?;
        let related = match row.kind.as_str() {
            "commune" => {
                let parent = row.parent.clone().map(Arg::Text).unwrap_or(Arg::Null);
                rows(
                    db,
                    store::zones::RELATED_COMMUNES,
                    &[Arg::Text(row.code.clone()), parent],
                )?
            }
            _ => Vec::new(),
        };
        pages.push(Rendered {
            file,
            html: ZonePage::new(row, found.items, related)
                .render()
                .map_err(|e| e.to_string())?,
        });
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Connection {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(store::SCHEMA).unwrap();
        db.execute_batch(
            "INSERT INTO zone (id, kind, code, name, name_key, departement, region, population, lat, lon) VALUES \
             ('commune:97415', 'commune', '97415', 'Saint-Paul', 'saint paul', '974', '04', 105000, -21.0, 55.27), \
             ('commune:97416', 'commune', '97416', 'Saint-Pierre', 'saint pierre', '974', '04', 84000, -21.3, 55.48), \
             ('departement:974', 'departement', '974', 'La Réunion', 'la reunion', '974', '04', NULL, NULL, NULL), \
             ('region:04', 'region', '04', 'La Réunion', 'la reunion', NULL, '04', NULL, NULL, NULL); \
             INSERT INTO element (id, slug, kind, type, name, tags, commune_code, departement, region, lat, lon, \
               geohash, all_day, open_edition, requires_approval, created_at, updated_at) VALUES \
             ('e1', 'vrac', 'organization', 'LocalBusiness', 'Vrac <script>alert(1)</script>', '[\"Épicerie\"]', \
              '97415', '974', '04', -21.0, 55.27, 'mh4e6kq5n', 0, 0, 0, 1, 1);",
        )
        .unwrap();
        db
    }

    #[test]
    fn each_departement_gets_its_geojson_and_csv_listed_with_the_date() {
        let files = open_data(&database(), "https://communs.example", "2026-12-01").unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(
            names,
            [
                "donnees/departements/974.geojson",
                "donnees/departements/974.csv",
                "donnees/index.html"
            ]
        );
        let geojson: serde_json::Value = serde_json::from_str(&files[0].html).unwrap();
        assert_eq!(
            geojson["features"][0]["properties"]["name"],
            "Vrac <script>alert(1)</script>"
        );
        assert!(files[1].html.starts_with("id,slug,kind"));
        let page = &files[2].html;
        assert!(page.contains("href=\"/donnees/departements/974.geojson\""));
        assert!(page.contains("La Réunion") && page.contains("1 décembre 2026"));
        assert!(page.contains("Licence Ouverte 2.0"));
    }

    #[test]
    fn a_budget_is_shared_between_zones_and_elements() {
        assert_eq!(share(20_000, 36_000, 1_000_000), (10_000, 10_000));
        assert_eq!(share(20_000, 300, 1_000_000), (300, 19_700));
        assert_eq!(share(20_000, 36_000, 2_000), (18_000, 2_000));
        assert_eq!(share(20_000, 100, 200), (100, 200));
        assert_eq!(share(3, 3, 3), (2, 1));
        assert_eq!(share(0, 5, 5), (0, 0));
    }

    #[test]
    fn a_small_budget_keeps_the_larger_zones_first() {
        let two = pages(&database(), "https://communs.example", 2).unwrap();
        let files: Vec<&str> = two.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, ["e/vrac/index.html", "regions/04/index.html"]);
        assert!(
            pages(&database(), "https://communs.example", 0)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn renders_each_element_and_each_zone_with_content_escaped() {
        let pages = pages(&database(), "https://communs.example", FREE_PLAN_FILES).unwrap();
        let mut files: Vec<&str> = pages.iter().map(|p| p.file.as_str()).collect();
        files.sort();
        assert_eq!(
            files,
            [
                "communes/97415/index.html",
                "departements/974/index.html",
                "e/vrac/index.html",
                "regions/04/index.html"
            ]
        );
        let html = |file: &str| &pages.iter().find(|p| p.file == file).unwrap().html;
        let element = html("e/vrac/index.html");
        assert!(
            element.contains("Vrac &#60;script&#62;") || element.contains("Vrac &lt;script&gt;")
        );
        assert!(!element.contains("<script>alert"));
        assert!(
            element.contains(r#"<link rel="canonical" href="https://communs.example/e/vrac/">"#)
        );
        let commune = html("communes/97415/index.html");
        assert!(
            commune.contains(r#"href="/e/vrac/""#),
            "the commune lists its element"
        );
        assert!(!commune.contains("<script>alert"));
    }
}
