//! GeoJSON (RFC 7946): a FeatureCollection of points, longitude first, one Feature per element;
//! an element without a position has a null geometry, as the RFC allows.

use crate::search::Item;
use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, feature::Id};
use serde_json::{Value, json};

/// The collection; `site` is the origin the pages are served from.
pub fn collection(items: &[Item], site: &str) -> FeatureCollection {
    FeatureCollection::new(items.iter().map(|item| feature(item, site)))
}

fn feature(item: &Item, site: &str) -> Feature {
    let geometry = match (item.lat, item.lon) {
        (Some(lat), Some(lon)) => Some(Geometry::from(GeometryValue::new_point([lon, lat]))),
        _ => None,
    };
    let mut properties = JsonObject::new();
    for (key, value) in super::table::fields(item, site) {
        if !value.is_empty() {
            properties.insert(key.into(), Value::String(value));
        }
    }
    // Tags stay a list here; the table joins them.
    properties.insert("tags".into(), json!(item.tags));
    Feature {
        bbox: None,
        geometry,
        id: Some(Id::String(item.id.clone())),
        properties: Some(properties),
        foreign_members: None,
    }
}

/// A zone as one Feature: its contour (a commune's, stored as a GeoJSON geometry by the seed,
/// passed through as it is) or else its position, and the zone as the API shows it for
/// properties.
pub fn zone(view: &crate::zone::ZoneView, contour: Option<&str>) -> Value {
    let geometry = contour
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .or_else(|| match (view.lat, view.lon) {
            (Some(lat), Some(lon)) => Some(json!({"type": "Point", "coordinates": [lon, lat]})),
            _ => None,
        });
    json!({"type": "Feature", "id": view.id, "geometry": geometry, "properties": view})
}

#[cfg(test)]
mod tests {
    use super::super::sample as item;
    use super::*;

    #[test]
    fn a_zone_is_its_contour_or_its_position_with_its_properties() {
        let view = crate::zone::ZoneView {
            id: "commune:69383".into(),
            kind: "commune".into(),
            code: "69383".into(),
            label: "Lyon 3e Arrondissement (69)".into(),
            name: "Lyon 3e Arrondissement".into(),
            postal_codes: Some(vec!["69003".into()]),
            commune_codes: None,
            arrondissements: None,
            parent: Some("commune:69123".into()),
            departement: None,
            region: None,
            population: Some(100_679),
            lat: Some(45.76),
            lon: Some(4.85),
        };
        let contour = r#"{"type":"MultiPolygon","coordinates":[[[[4.8,45.7],[4.9,45.7],[4.9,45.8],[4.8,45.7]]]]}"#;
        let json = serde_json::to_value(zone(&view, Some(contour))).unwrap();
        assert_eq!(json["type"], "Feature");
        assert_eq!(json["id"], "commune:69383");
        assert_eq!(json["geometry"]["type"], "MultiPolygon");
        assert_eq!(json["geometry"]["coordinates"][0][0][1], json!([4.9, 45.7]));
        assert_eq!(json["properties"]["parent"], "commune:69123");
        assert_eq!(json["properties"]["postal_codes"], json!(["69003"]));
        let json = serde_json::to_value(zone(&view, None)).unwrap();
        assert_eq!(
            json["geometry"],
            json!({"type": "Point", "coordinates": [4.85, 45.76]})
        );
    }

    #[test]
    fn points_are_longitude_first_and_unplaced_ones_have_no_geometry() {
        let json = serde_json::to_value(collection(
            &[item(Some(-21.01)), item(None)],
            "https://x.fr",
        ))
        .unwrap();
        assert_eq!(json["type"], "FeatureCollection");
        let first = &json["features"][0];
        assert_eq!(first["type"], "Feature");
        assert_eq!(first["id"], "e_1");
        assert_eq!(
            first["geometry"],
            json!({"type": "Point", "coordinates": [55.27, -21.01]})
        );
        assert_eq!(first["properties"]["name"], "Jardin \"partagé\"");
        assert_eq!(first["properties"]["url"], "https://x.fr/e/jardin-partage/");
        assert_eq!(
            first["properties"]["tags"],
            json!(["jardin", "lien, social"])
        );
        assert!(
            first["properties"].get("start").is_none(),
            "empty fields are left out"
        );
        assert_eq!(json["features"][1]["geometry"], Value::Null);
    }
}
