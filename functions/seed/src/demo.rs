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

/// How a generated set is marked: its ids' prefix, a tag, its description and category, and
/// how far ahead its events go.
pub struct Marks {
    pub prefix: &'static str,
    pub tag: Option<&'static str>,
    pub description: &'static str,
    pub category: &'static str,
    pub event_days: usize,
}

/// The demonstration set, shown on `make dev`.
pub const DEMO: Marks = Marks {
    prefix: "demo",
    tag: Some("démo"),
    description: "Élément de démonstration, pour découvrir le site.",
    category: "Démonstration",
    event_days: 180,
};

/// The volumes of the benchmarks (issue 8): events over a year.
pub const VOLUME: Marks = Marks {
    prefix: "vol",
    tag: None,
    description: "Fiche générée pour mesurer le site en charge.",
    category: "Jeu de mesure",
    event_days: 365,
};

/// A point drawn within about 3 km of the commune's position and inside its contour (drawn in
/// the part of its box that is that near, a few times, then its position itself): an element
/// lies in the commune it is filed under.
fn near_within(seq: &mut Sequence, commune: &Zone, at: Point) -> Point {
    const REACH: f64 = 0.025;
    let bounds = commune.contour.as_ref().and_then(|c| c.bounds());
    let (south, north, west, east) = match bounds {
        Some(b) => (
            b.south.max(at.lat - REACH),
            b.north.min(at.lat + REACH),
            b.west.max(at.lon - REACH),
            b.east.min(at.lon + REACH),
        ),
        None => (
            at.lat - REACH,
            at.lat + REACH,
            at.lon - REACH,
            at.lon + REACH,
        ),
    };
    for _ in 0..8 {
        let point = Point {
            lat: south + seq.unit() * (north - south),
            lon: west + seq.unit() * (east - west),
        };
        if commune.contour.as_ref().is_none_or(|c| c.contains(&point)) {
            return point;
        }
    }
    at
}

/// `count` demonstration elements spread over `communes` by population, created around `now`.
pub fn elements(communes: &[&Zone], count: usize, now: i64, seed: u64) -> Vec<String> {
    generate(communes, count, now, seed, &DEMO)
}

/// `count` elements marked by `marks`, spread over `communes` in proportion to their
/// population (a binary search over the running totals: a million draws over every French
/// commune stay fast).
pub fn generate(
    communes: &[&Zone],
    count: usize,
    now: i64,
    seed: u64,
    marks: &Marks,
) -> Vec<String> {
    let mut seq = Sequence(seed | 1);
    let running: Vec<i64> = communes
        .iter()
        .scan(0i64, |sum, c| {
            *sum += c.population.unwrap_or(1).max(1);
            Some(*sum)
        })
        .collect();
    let total = running.last().copied().unwrap_or(0);
    let mut element_rows = Vec::new();
    let mut tag_rows = Vec::new();
    for index in 0..count {
        // A commune drawn in proportion to its population: the first whose running total
        // exceeds the draw.
        let draw = (seq.unit() * total as f64) as i64;
        let at = running.partition_point(|sum| *sum <= draw);
        let Some(commune) = communes.get(at).or(communes.first()) else {
            break;
        };
        let (Some(lat), Some(lon)) = (commune.lat, commune.lon) else {
            continue;
        };
        let point = near_within(&mut seq, commune, Point { lat, lon });
        let id = format!("{}_{}_{index:04}", marks.prefix, commune.code);
        let mut e = DemoElement::new(&mut seq, now, marks.event_days);
        e.name = format!("{} — {}", e.name, commune.name);
        let slug = format!(
            "{}-{}-{index}",
            domain::element::slug::base(&e.name),
            marks.prefix
        );
        let mut tags: Vec<String> = e.tags.iter().map(|t| t.to_string()).collect();
        tags.extend(marks.tag.map(str::to_string));
        let tags_json = serde_json::to_string(&tags).unwrap_or_default();
        let created = now - seq.below(120 * 86_400) as i64;
        element_rows.push(row(&[
            Lit::Text(&id),
            Lit::Text(&slug),
            Lit::Text(e.kind),
            Lit::OptText(e.type_),
            Lit::Text(&e.name),
            Lit::Text(marks.description),
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
            Lit::Text(marks.category),
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
    fn new(seq: &mut Sequence, now: i64, event_days: usize) -> DemoElement {
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
                // Over the coming days, from 8 h to 20 h, lasting two to five hours.
                let day = now - now.rem_euclid(86_400) + seq.below(event_days) as i64 * 86_400;
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
            coords_source: Some("mairie"),
            parent: None,
            contour: None,
        }
    }

    #[test]
    fn a_volume_set_follows_population_spans_a_year_and_carries_no_demo_tag() {
        let (big, small) = (commune("97415", 90_000), commune("97416", 10_000));
        let now = 1_800_000_000;
        let sql = generate(&[&big, &small], 2_000, now, 11, &VOLUME);
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch(store::SCHEMA).unwrap();
        for statement in &sql {
            db.execute_batch(statement).unwrap();
        }
        let count = |q: &str| db.query_row(q, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(
            count("SELECT count(*) FROM element WHERE id LIKE 'vol_%'"),
            2_000
        );
        let in_big = count("SELECT count(*) FROM element WHERE commune_code = '97415'");
        assert!((1_700..=1_900).contains(&in_big), "about 90 %: {in_big}");
        assert_eq!(
            count("SELECT count(*) FROM element_tag WHERE tag = 'demo'"),
            0
        );
        let latest = count("SELECT max(start_at) FROM element WHERE kind = 'event'");
        assert!(latest > now + 300 * 86_400, "events over a year");
    }

    #[test]
    fn elements_lie_inside_their_commune_s_contour() {
        // A narrow commune (1 km wide), where draws around its town hall often fall outside.
        let mut narrow = commune("97415", 1_000);
        narrow.contour = Some(crate::tests::square(-21.005, 55.295, 0.01));
        let sql = generate(&[&narrow], 200, 1_800_000_000, 3, &VOLUME);
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch(store::SCHEMA).unwrap();
        for statement in &sql {
            db.execute_batch(statement).unwrap();
        }
        let points: Vec<(f64, f64)> = db
            .prepare("SELECT lat, lon FROM element")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(points.len(), 200);
        let contour = narrow.contour.as_ref().unwrap();
        let inside = |&(lat, lon): &(f64, f64)| contour.contains(&Point { lat, lon });
        assert!(points.iter().all(inside));
        let distinct: std::collections::HashSet<String> =
            points.iter().map(|p| format!("{p:?}")).collect();
        assert!(distinct.len() > 100, "spread, not piled on one point");
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
        db.execute_batch(
            "INSERT INTO element_fts (element_fts) VALUES ('integrity-check');
             INSERT INTO element_name_fts (element_name_fts) VALUES ('integrity-check');",
        )
        .unwrap();
    }
}
