//! The zone import on a small, hand-checked extract, applied to SQLite with the schema of record
//! and read back through the store's own queries.

use crate::zones::{self, Commune, Departement, Place, PostalLink, Region, Sources};
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
    }
}

fn link(postal: &str, commune: &str) -> PostalLink {
    PostalLink {
        postal_code: postal.into(),
        commune_code: commune.into(),
    }
}

fn sources() -> Sources {
    let mut places = HashMap::new();
    for (insee, lat, lon) in [("97415", -21.0096, 55.2713), ("97416", -21.3393, 55.4781)] {
        places.insert(
            insee.to_string(),
            Place {
                insee: insee.into(),
                lat,
                lon,
                population: 1,
            },
        );
    }
    Sources {
        communes: vec![
            commune("97415", "Saint-Paul", "974", 108_088),
            commune("97416", "Saint-Pierre", "974", 86_000),
            commune("97423", "Les Trois-Bassins", "974", 7_000),
            commune("01001", "L'Abergement-Clémenciat", "01", 860),
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
        ],
        places,
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
        ["commune:4", "departement:2", "postal:4", "region:2"]
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
    assert_eq!((count, links), (12, 5));
}

#[test]
fn names_match_by_folded_prefix_without_postal_codes_unless_asked() {
    let db = load(None);
    let search = |q: &str, kind: Option<&str>| {
        let prefix = domain::text::fold(q);
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
            Ok((r.get(0)?, r.get(3)?, r.get(8)?, r.get(11)?))
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
}

#[test]
fn communes_without_geonames_take_their_postal_neighbours_position() {
    let (zones, _) = zones::build(&sources(), None);
    let find = |id: &str| zones.iter().find(|z| z.id == id).unwrap().clone();
    let trois_bassins = find("commune:97423");
    assert_eq!(trois_bassins.coords_source, Some("postal"));
    assert_eq!(
        (trois_bassins.lat, trois_bassins.lon),
        (Some(-21.0096), Some(55.2713))
    );
    let ain = find("commune:01001");
    assert_eq!(
        (ain.lat, ain.coords_source),
        (None, None),
        "nothing located nearby: no position"
    );
    let shared = find("postal:97426");
    assert_eq!(shared.name, "Saint-Paul, Les Trois-Bassins");
    assert_eq!(shared.population, Some(115_088));
    let reunion = find("departement:974");
    assert_eq!(
        (reunion.region.as_deref(), reunion.population),
        (Some("04"), Some(201_088))
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

#[test]
fn reads_geonames_rows_with_an_insee_code_keeping_the_most_populated() {
    let tsv = "1\tSaint-Paul\tx\tx\t-21.00961\t55.27134\tP\tPPL\tRE\t\tRE\t974\t\t97415\t103208\n\
               2\tLe Guillaume\tx\tx\t-21.04\t55.33\tP\tPPL\tRE\t\tRE\t974\t\t97415\t5000\n\
               3\tBerlin\tx\tx\t52.5\t13.4\tP\tPPL\tDE\t\t16\t00\t\t11000\t3000000\n";
    let places = zones::parse_geonames(tsv);
    assert_eq!(places.len(), 1);
    assert_eq!(places["97415"].population, 103_208);
}
