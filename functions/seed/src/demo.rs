//! A clearly marked demonstration set: a few hundred elements of every kind around La Réunion
//! and Lyon, placed in real communes (in proportion to their population) near their centre.
//! Every one is tagged « démo », has the category « Démonstration » and an id starting `demo_`.
//! The same input always gives the same set (a fixed pseudo-random sequence).

use crate::sql::{Lit, row, statements};
use crate::zones::Zone;
use domain::geo::Point;
use domain::text::fold;

/// A small, fixed pseudo-random sequence (xorshift): reproducible demo data, no dependency.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const ORGS: [(&str, &str, &[&str]); 10] = [
    (
        "NGO",
        "Association des jardins partagés",
        &["Jardin", "Potager", "Partage"],
    ),
    ("NGO", "Amicale des randonneurs", &["Randonnée", "Nature"]),
    (
        "NGO",
        "Collectif zéro déchet",
        &["Zéro déchet", "Vrac", "Réemploi"],
    ),
    ("NGO", "Club de lecture", &["Livres", "Culture"]),
    (
        "LocalBusiness",
        "Épicerie vrac et local",
        &["Épicerie", "Vrac", "Circuit court"],
    ),
    (
        "LocalBusiness",
        "Atelier de réparation de vélos",
        &["Vélo", "Réparation"],
    ),
    ("LocalBusiness", "Boulangerie bio", &["Boulangerie", "Bio"]),
    (
        "Group",
        "Groupe d’entraide du quartier",
        &["Entraide", "Voisinage"],
    ),
    (
        "GovernmentOrganization",
        "Médiathèque municipale",
        &["Livres", "Culture", "Service public"],
    ),
    (
        "Cooperative",
        "Coopérative d’habitants",
        &["Habitat", "Coopérative"],
    ),
];
const EVENTS: [(&str, &str, &[&str]); 6] = [
    (
        "market",
        "Marché de producteurs",
        &["Marché", "Circuit court"],
    ),
    ("workshop", "Atelier compost", &["Compost", "Jardin"]),
    ("concert", "Concert en plein air", &["Musique", "Culture"]),
    (
        "getTogether",
        "Repas de quartier",
        &["Voisinage", "Entraide"],
    ),
    (
        "course",
        "Initiation à la réparation",
        &["Réparation", "Réemploi"],
    ),
    (
        "festival",
        "Festival des alternatives",
        &["Alternatives", "Culture"],
    ),
];
const POIS: [(&str, &str, &[&str]); 5] = [
    ("compostPickup", "Composteur collectif", &["Compost"]),
    ("sharedLibrary", "Boîte à livres", &["Livres"]),
    ("recoveryCenter", "Ressourcerie", &["Réemploi"]),
    ("artPiece", "Fresque murale", &["Art"]),
    ("something2See", "Point de vue", &["Nature"]),
];
const PROJECTS: [(&str, &[&str]); 4] = [
    ("Verger partagé", &["Jardin", "Arbres"]),
    ("Tiers-lieu associatif", &["Tiers-lieu", "Culture"]),
    ("Cantine solidaire", &["Alimentation", "Entraide"]),
    ("Réseau de covoiturage", &["Mobilité"]),
];
const ADS: [(&str, &str, &[&str]); 4] = [
    ("donation", "Vélo enfant à donner", &["Vélo"]),
    ("sharing", "Prêt de perceuse", &["Outils", "Partage"]),
    ("forsale", "Plants de tomates", &["Jardin"]),
    ("lookingfor", "Cherche bénévoles", &["Bénévolat"]),
];

/// `count` elements spread over `communes` by population, created around `now`.
pub fn elements(communes: &[&Zone], count: usize, now: i64, seed: u64) -> Vec<String> {
    let mut seq = Sequence(seed | 1);
    let total: i64 = communes
        .iter()
        .map(|c| c.population.unwrap_or(1).max(1))
        .sum();
    let mut element_rows = Vec::new();
    let mut tag_rows = Vec::new();
    for index in 0..count {
        // A commune drawn in proportion to its population.
        let mut draw = (seq.unit() * total as f64) as i64;
        let commune = communes
            .iter()
            .find(|c| {
                draw -= c.population.unwrap_or(1).max(1);
                draw < 0
            })
            .unwrap_or(&communes[0]);
        let (Some(lat), Some(lon)) = (commune.lat, commune.lon) else {
            continue;
        };
        // Within about 3 km of the commune's centre.
        let point = Point {
            lat: lat + (seq.unit() - 0.5) * 0.05,
            lon: lon + (seq.unit() - 0.5) * 0.05,
        };
        let id = format!("demo_{}_{index:04}", commune.code);
        let mut e = DemoElement::new(&mut seq, now);
        e.name = format!("{} — {}", e.name, commune.name);
        let slug = format!("{}-demo-{index}", domain::element::slug::base(&e.name));
        let mut tags: Vec<String> = e.tags.iter().map(|t| t.to_string()).collect();
        tags.push("démo".into());
        let tags_json = serde_json::to_string(&tags).unwrap_or_default();
        let created = now - seq.below(120 * 86_400) as i64;
        element_rows.push(row(&[
            Lit::Text(&id),
            Lit::Text(&slug),
            Lit::Text(e.kind),
            Lit::OptText(e.type_),
            Lit::Text(&e.name),
            Lit::Text("Élément de démonstration, pour découvrir le site."),
            Lit::Text(&tags_json),
            Lit::OptText(None),
            Lit::Text(&commune.code),
            Lit::OptText(commune.departement.as_deref()),
            Lit::OptText(commune.region.as_deref()),
            Lit::Real(Some(point.lat)),
            Lit::Real(Some(point.lon)),
            Lit::Text(&point.geohash(domain::geo::STORED_PRECISION)),
            Lit::Int(e.start),
            Lit::Int(e.end),
            Lit::OptText(e.stage),
            Lit::OptText(e.section),
            Lit::Int(e.price_cents),
            Lit::OptText(e.section.map(|_| "EUR")),
            Lit::OptText(e.section.map(|_| "Par message sur le site (démo)")),
            Lit::Text("Démonstration"),
            Lit::Int(Some(created)),
            Lit::Int(Some(created)),
        ]));
        for tag in &tags {
            tag_rows.push(row(&[Lit::Text(&fold(tag)), Lit::Text(&id)]));
        }
    }
    let mut sql = statements(
        store::elements::SEED_HEAD,
        &element_rows,
        store::elements::SEED_TAIL,
        100,
    );
    sql.extend(statements(
        store::elements::SEED_TAGS_HEAD,
        &tag_rows,
        ";",
        200,
    ));
    sql
}

struct DemoElement {
    kind: &'static str,
    type_: Option<&'static str>,
    name: String,
    tags: &'static [&'static str],
    start: Option<i64>,
    end: Option<i64>,
    stage: Option<&'static str>,
    section: Option<&'static str>,
    price_cents: Option<i64>,
}

impl DemoElement {
    fn new(seq: &mut Sequence, now: i64) -> DemoElement {
        let blank = DemoElement {
            kind: "organization",
            type_: None,
            name: String::new(),
            tags: &[],
            start: None,
            end: None,
            stage: None,
            section: None,
            price_cents: None,
        };
        match seq.below(10) {
            0..=3 => {
                let (t, name, tags) = ORGS[seq.below(ORGS.len())];
                DemoElement {
                    type_: Some(t),
                    name: name.into(),
                    tags,
                    ..blank
                }
            }
            4..=5 => {
                let (t, name, tags) = EVENTS[seq.below(EVENTS.len())];
                // Over the coming six months, from 8 h to 20 h, lasting two to five hours.
                let day = now - now.rem_euclid(86_400) + seq.below(180) as i64 * 86_400;
                let start = day + (8 + seq.below(12) as i64) * 3600;
                DemoElement {
                    kind: "event",
                    type_: Some(t),
                    name: name.into(),
                    tags,
                    start: Some(start),
                    end: Some(start + (2 + seq.below(4) as i64) * 3600),
                    ..blank
                }
            }
            6..=7 => {
                let (t, name, tags) = POIS[seq.below(POIS.len())];
                DemoElement {
                    kind: "poi",
                    type_: Some(t),
                    name: name.into(),
                    tags,
                    ..blank
                }
            }
            8 => {
                let (name, tags) = PROJECTS[seq.below(PROJECTS.len())];
                DemoElement {
                    kind: "project",
                    name: name.into(),
                    tags,
                    stage: Some(seq.pick(&domain::element::STAGES)),
                    ..blank
                }
            }
            _ => {
                let (section, name, tags) = ADS[seq.below(ADS.len())];
                let price = if section == "forsale" {
                    Some(200 + seq.below(20) as i64 * 50)
                } else {
                    Some(0)
                };
                DemoElement {
                    kind: "classified",
                    name: name.into(),
                    tags,
                    section: Some(section),
                    price_cents: price,
                    ..blank
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(code: &str, population: i64) -> Zone {
        Zone {
            id: format!("commune:{code}"),
            kind: "commune",
            code: code.into(),
            name: format!("Commune {code}"),
            departement: Some("974".into()),
            region: Some("04".into()),
            population: Some(population),
            lat: Some(-21.0),
            lon: Some(55.3),
            coords_source: Some("geonames"),
        }
    }

    #[test]
    fn the_demo_set_is_reproducible_marked_and_loads_into_the_schema() {
        let (a, b) = (commune("97415", 100_000), commune("97416", 1_000));
        let sql = elements(&[&a, &b], 60, 1_800_000_000, 7);
        assert_eq!(
            sql,
            elements(&[&a, &b], 60, 1_800_000_000, 7),
            "same input, same set"
        );
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch(store::SCHEMA).unwrap();
        for statement in &sql {
            db.execute_batch(statement).unwrap();
        }
        for statement in &sql {
            db.execute_batch(statement).unwrap(); // a second load adds nothing
        }
        let count = |q: &str| db.query_row(q, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT count(*) FROM element"), 60);
        assert_eq!(
            count(
                "SELECT count(*) FROM element WHERE id LIKE 'demo_%' AND category = 'Démonstration'"
            ),
            60
        );
        assert_eq!(
            count("SELECT count(DISTINCT kind) FROM element"),
            5,
            "every kind"
        );
        assert!(
            count("SELECT count(*) FROM element WHERE commune_code = '97415'") > 40,
            "by population"
        );
        assert_eq!(
            count("SELECT count(*) FROM element_tag WHERE tag = 'demo'"),
            60
        );
        assert_eq!(
            count("SELECT count(*) FROM element WHERE kind = 'event' AND start_at IS NULL"),
            0
        );
        db.execute(
            "INSERT INTO element_fts (element_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
    }
}
