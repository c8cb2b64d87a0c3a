//! Records that name no commune (no INSEE code, or one that is not: Communecter wrote
//! `"undefined"`) but say where they are: the commune whose contour holds their position, else
//! the commune their postal code serves (the one their locality names, when it serves several).
//! Two reads for a whole file: the communes the postal codes serve, and the candidate communes
//! of the positions' cells (`store::zones`).

use super::Record;
use crate::geo::Point;
use crate::geo::contour::{BORDER_SLACK_KM, Contour, locate, lookup_cells};
use crate::text::fold;
use crate::zone::{ZoneId, ZoneRow};
use serde::Deserialize;
use serde_json::{Value, json};

/// A commune a postal code serves, as `store::zones::SERVED` returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct Served {
    pub postal_code: String,
    pub code: String,
    pub name: String,
}

/// What the file's unplaced records need looked up.
#[derive(Debug, Default, PartialEq)]
pub struct Needs {
    pub postal_codes: Vec<String>,
    /// The geohash cells of their positions (`contour::lookup_cells`), for
    /// `store::zones::CANDIDATES_IN_CELLS`.
    pub cells: Vec<String>,
}

impl Needs {
    pub fn is_empty(&self) -> bool {
        self.postal_codes.is_empty() && self.cells.is_empty()
    }
}

fn names_a_commune(input: &Value) -> bool {
    input["address"]["commune_code"]
        .as_str()
        .is_some_and(|code| ZoneId::parse(&format!("commune:{code}")).is_some())
}

fn point(input: &Value) -> Option<Point> {
    let (lat, lon) = (input["lat"].as_f64()?, input["lon"].as_f64()?);
    Point::new(lat, lon, "lat").ok()
}

fn unplaced(records: &[Record]) -> impl Iterator<Item = &Record> {
    records.iter().filter(|r| !names_a_commune(&r.input))
}

pub fn needs(records: &[Record]) -> Needs {
    let mut needs = Needs::default();
    for record in unplaced(records) {
        if let Some(p) = point(&record.input) {
            needs.cells.extend(lookup_cells(&p));
        }
        if let Some(code) = record.input["address"]["postal_code"].as_str() {
            needs.postal_codes.push(code.to_string());
        }
    }
    for list in [&mut needs.postal_codes, &mut needs.cells] {
        list.sort();
        list.dedup();
    }
    needs
}

/// Gives each unplaced record the commune its position or postal code names, when one does.
pub fn place(records: &mut [Record], served: &[Served], candidates: Vec<ZoneRow>) {
    let shaped: Vec<(ZoneRow, Contour)> = candidates
        .into_iter()
        .filter_map(|mut z| {
            let contour = Contour::from_geojson(&z.geometry.take()?)?;
            Some((z, contour))
        })
        .collect();
    for record in records.iter_mut().filter(|r| !names_a_commune(&r.input)) {
        let by_position = point(&record.input).and_then(|p| {
            // The candidates near the point: their box, widened by the slack, holds it.
            let slack = BORDER_SLACK_KM / 100.0;
            let near = shaped.iter().filter(|(_, c)| {
                c.bounds().is_some_and(|b| {
                    p.lat >= b.south - slack
                        && p.lat <= b.north + slack
                        && p.lon >= b.west - slack
                        && p.lon <= b.east + slack
                })
            });
            locate(&p, near).map(|z| z.code.clone())
        });
        let by_postal = || {
            let code = record.input["address"]["postal_code"].as_str()?;
            let communes: Vec<&Served> = served.iter().filter(|s| s.postal_code == code).collect();
            match communes.as_slice() {
                [one] => Some(one.code.clone()),
                several => {
                    let named = fold(record.locality.as_deref()?);
                    several
                        .iter()
                        .find(|s| fold(&s.name) == named)
                        .map(|s| s.code.clone())
                }
            }
        };
        if let Some(code) = by_position.or_else(by_postal) {
            record.input["address"]["commune_code"] = json!(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(input: Value, locality: Option<&str>) -> Record {
        Record {
            row: 1,
            source_id: None,
            input,
            locality: locality.map(str::to_string),
        }
    }

    fn commune(code: &str, west: f64) -> ZoneRow {
        crate::zone::commune_row(
            code,
            Some(format!(
                r#"{{"type":"Polygon","coordinates":[[[{west},44.7],[{e},44.7],[{e},44.8],[{west},44.8],[{west},44.7]]]}}"#,
                e = west + 0.1
            )),
        )
    }

    #[test]
    fn unplaced_records_take_their_position_s_commune_or_their_postal_code_s() {
        let mut records = vec![
            // « undefined » with a position: the contour that holds it.
            record(
                json!({"lat": 44.75, "lon": 5.37, "address": {"commune_code": "undefined", "postal_code": "26150"}}),
                None,
            ),
            // No position, a postal code that serves one commune.
            record(json!({"address": {"postal_code": "59260"}}), None),
            // A postal code that serves two: the locality decides.
            record(json!({"address": {"postal_code": "26150"}}), Some("DIE")),
            record(
                json!({"address": {"postal_code": "26150"}}),
                Some("Ailleurs"),
            ),
            // Already placed: left alone.
            record(json!({"address": {"commune_code": "97415"}}), None),
        ];
        let needs = needs(&records);
        assert_eq!(needs.postal_codes, ["26150", "59260"]);
        assert_eq!(
            needs.cells,
            lookup_cells(&Point {
                lat: 44.75,
                lon: 5.37
            })
        );
        let served = [
            Served {
                postal_code: "59260".into(),
                code: "59350".into(),
                name: "Lille".into(),
            },
            Served {
                postal_code: "26150".into(),
                code: "26113".into(),
                name: "Die".into(),
            },
            Served {
                postal_code: "26150".into(),
                code: "26010".into(),
                name: "Aix-en-Diois".into(),
            },
        ];
        place(
            &mut records,
            &served,
            vec![commune("26113", 5.3), commune("26999", 5.5)],
        );
        let codes: Vec<&str> = records
            .iter()
            .map(|r| r.input["address"]["commune_code"].as_str().unwrap_or("—"))
            .collect();
        assert_eq!(codes, ["26113", "59350", "26113", "—", "97415"]);
        assert!(super::needs(&records[4..]).is_empty());
    }
}
