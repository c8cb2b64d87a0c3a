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

#[cfg(test)]
mod tests {
    use super::super::sample as item;
    use super::*;

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
