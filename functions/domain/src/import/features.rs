//! GeoJSON imports: a FeatureCollection whose features carry the properties of our GeoJSON
//! export (the CSV's columns); a Point geometry gives the position. The feature's `id` (or its
//! `id` property) is the source's id. A row's number is the feature's position, from 1.

use super::{Record, present};
use crate::error::{ApiError, ErrorCode};
use geojson::{FeatureCollection, GeometryValue, feature::Id};
use serde_json::Value;

pub fn read(text: &str) -> Result<Vec<Record>, ApiError> {
    let collection: FeatureCollection = serde_json::from_str(text)
        .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "file"))?;
    Ok(collection
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            let properties = feature.properties.unwrap_or_default();
            let position = feature.geometry.and_then(|g| match g.value {
                GeometryValue::Point { coordinates } => Some((coordinates[1], coordinates[0])),
                _ => None,
            });
            let cell = |name: &str| -> Option<String> {
                match (name, position) {
                    ("lat", Some((lat, _))) => return Some(lat.to_string()),
                    ("lon", Some((_, lon))) => return Some(lon.to_string()),
                    _ => {}
                }
                match properties.get(name)? {
                    Value::String(s) => present(Some(s)),
                    Value::Array(list) => Some(
                        list.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(" | "),
                    ),
                    Value::Null => None,
                    other => Some(other.to_string()),
                }
            };
            let source_id = match feature.id {
                Some(Id::String(s)) => present(Some(&s)),
                Some(Id::Number(n)) => Some(n.to_string()),
                None => cell("id"),
            };
            Record {
                row: i + 1,
                source_id,
                input: super::table::element(&cell),
                locality: None,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn features_become_api_bodies_with_their_point() {
        let text = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "e_1", "geometry": {"type": "Point", "coordinates": [55.27, -21.01]},
             "properties": {"kind": "organization", "type": "NGO", "name": "Lagon", "commune_code": "97415", "tags": ["mer", "plage, propre"]}},
            {"type": "Feature", "geometry": null, "properties": {"id": "x2", "kind": "project", "name": "Jardin", "commune_code": "97416"}}
        ]})
        .to_string();
        let records = read(&text).unwrap();
        assert_eq!(
            (records[0].row, records[0].source_id.as_deref()),
            (1, Some("e_1"))
        );
        assert_eq!(
            (
                records[0].input["lat"].clone(),
                records[0].input["lon"].clone()
            ),
            (json!(-21.01), json!(55.27))
        );
        assert_eq!(records[0].input["tags"], json!(["mer", "plage, propre"]));
        assert_eq!(
            (records[1].row, records[1].source_id.as_deref()),
            (2, Some("x2"))
        );
        assert!(records[1].input.get("lat").is_none());
        assert_eq!(
            read("{\"type\":\"Point\"}").unwrap_err().field.as_deref(),
            Some("file")
        );
    }
}
