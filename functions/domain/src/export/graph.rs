//! JSON-LD (schema.org) for a list: one `@graph` of the items, each typed as its element's page
//! types it (`element::jsonld::schema_type`), with its address and coordinates.

use crate::element::jsonld::schema_type;
use crate::search::Item;
use serde_json::{Map, Value, json};

pub fn graph(items: &[Item], site: &str) -> Value {
    let nodes: Vec<Value> = items.iter().map(|i| node(i, site)).collect();
    json!({ "@context": "https://schema.org", "@graph": nodes })
}

fn node(item: &Item, site: &str) -> Value {
    let mut node = Map::new();
    node.insert(
        "@type".into(),
        json!(schema_type(&item.kind, item.type_.as_deref())),
    );
    node.insert("@id".into(), json!(format!("{site}/e/{}/", item.slug)));
    node.insert("identifier".into(), json!(item.id));
    node.insert("name".into(), json!(item.name));
    if let Some(d) = &item.short_description {
        node.insert("description".into(), json!(d));
    }
    if !item.tags.is_empty() {
        node.insert("keywords".into(), json!(item.tags.join(", ")));
    }
    if let Some(path) = &item.logo {
        node.insert("image".into(), json!(format!("{site}{path}")));
    }
    let mut address = json!({ "@type": "PostalAddress", "addressCountry": "FR" });
    if let Some(name) = &item.commune.name {
        address["addressLocality"] = json!(name);
    }
    let geo = match (item.lat, item.lon) {
        (Some(lat), Some(lon)) => {
            json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon })
        }
        _ => Value::Null,
    };
    if matches!(item.kind.as_str(), "event" | "classified") {
        // An event happens at a place; an offer is made at one.
        let mut place = json!({ "@type": "Place", "address": address });
        if !geo.is_null() {
            place["geo"] = geo;
        }
        let key = if item.kind == "event" {
            "location"
        } else {
            "availableAtOrFrom"
        };
        node.insert(key.into(), place);
    } else {
        node.insert("address".into(), address);
        if !geo.is_null() {
            node.insert("geo".into(), geo);
        }
    }
    if let Some(start) = &item.start {
        node.insert("startDate".into(), json!(start));
    }
    if let Some(end) = &item.end {
        node.insert("endDate".into(), json!(end));
    }
    Value::Object(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_item_is_a_typed_node_of_the_graph() {
        let mut event = super::super::sample(Some(-21.01));
        event.kind = "event".into();
        event.type_ = None;
        event.start = Some("2026-12-08T14:00:00Z".into());
        let doc = graph(&[super::super::sample(Some(-21.01)), event], "https://x.fr");
        assert_eq!(doc["@context"], "https://schema.org");
        let nodes = doc["@graph"].as_array().unwrap();
        assert_eq!(nodes[0]["@type"], "NGO");
        assert_eq!(nodes[0]["geo"]["longitude"], 55.27);
        assert_eq!(nodes[0]["address"]["addressLocality"], "Saint-Paul");
        assert_eq!(nodes[1]["@type"], "Event");
        assert_eq!(nodes[1]["location"]["@type"], "Place");
        assert_eq!(nodes[1]["startDate"], "2026-12-08T14:00:00Z");
    }
}
