//! An element as schema.org JSON-LD, for its page and for exports.

use super::view::ElementView;
use serde_json::{Map, Value, json};

/// The schema.org type of an element.
pub fn schema_type(kind: &str, type_: Option<&str>) -> &'static str {
    match (kind, type_) {
        ("organization", Some("NGO")) => "NGO",
        ("organization", Some("LocalBusiness")) => "LocalBusiness",
        ("organization", Some("GovernmentOrganization")) => "GovernmentOrganization",
        ("organization", _) => "Organization",
        ("project", _) => "Project",
        ("event", _) => "Event",
        ("poi", _) => "Place",
        ("classified", _) => "Offer",
        _ => "Thing",
    }
}

/// The JSON-LD document; `site` is the origin the page is served from.
pub fn document(e: &ElementView, site: &str) -> Value {
    let mut doc = Map::new();
    doc.insert("@context".into(), json!("https://schema.org"));
    doc.insert(
        "@type".into(),
        json!(schema_type(e.kind.as_str(), e.type_.as_deref())),
    );
    doc.insert("@id".into(), json!(format!("{site}{}", e.page)));
    doc.insert("name".into(), json!(e.name));
    if let Some(d) = e.short_description.as_ref().or(e.description.as_ref()) {
        doc.insert("description".into(), json!(d));
    }
    if let Some(url) = &e.url {
        doc.insert("url".into(), json!(url));
    }
    if !e.tags.is_empty() {
        doc.insert("keywords".into(), json!(e.tags.join(", ")));
    }
    let images = e.images();
    if !images.is_empty() {
        let urls: Vec<String> = images.iter().map(|p| format!("{site}{}", p.url)).collect();
        doc.insert("image".into(), json!(urls));
    }
    if let Some(logo) = &e.logo {
        doc.insert("logo".into(), json!(format!("{site}{}", logo.url)));
    }
    let address = json!({
        "@type": "PostalAddress",
        "streetAddress": e.address.street,
        "postalCode": e.address.postal_code,
        "addressLocality": e.address.locality,
        "addressCountry": "FR",
    });
    let geo = match (e.lat, e.lon) {
        (Some(lat), Some(lon)) => {
            Some(json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon }))
        }
        _ => None,
    };
    match e.kind.as_str() {
        // An event happens at a place; an offer is made at one.
        "event" | "classified" => {
            let mut place = json!({ "@type": "Place", "address": address });
            if let Some(geo) = geo {
                place["geo"] = geo;
            }
            let key = if e.kind == crate::element::Kind::Event {
                "location"
            } else {
                "availableAtOrFrom"
            };
            doc.insert(key.into(), place);
        }
        _ => {
            doc.insert("address".into(), address);
            if let Some(geo) = geo {
                doc.insert("geo".into(), geo);
            }
        }
    }
    if !e.opening_hours.is_empty() {
        doc.insert(
            "openingHoursSpecification".into(),
            super::hours::schema_org(&e.opening_hours),
        );
    }
    if let Some(start) = &e.start {
        doc.insert("startDate".into(), json!(start));
    }
    if let Some(end) = &e.end {
        doc.insert("endDate".into(), json!(end));
    }
    if e.kind == crate::element::Kind::Classified {
        if let Some(price) = e.price_cents {
            doc.insert(
                "price".into(),
                json!(format!("{}.{:02}", price / 100, price % 100)),
            );
        }
        if let Some(currency) = &e.currency {
            doc.insert("priceCurrency".into(), json!(currency));
        }
    }
    strip_nulls(Value::Object(doc))
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The document as text safe inside an HTML `<script>` element: no `<` can close it.
pub fn script_text(doc: &Value) -> String {
    doc.to_string().replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(kind: &str, type_: Option<&str>) -> ElementView {
        let mut row = crate::element::view::tests::row();
        row.kind = crate::element::Kind::parse(kind).unwrap();
        row.type_ = type_.map(str::to_string);
        row.name = "Vrac </script><b>".into();
        row.start_at = (kind == "event").then_some(0);
        row.view()
    }

    #[test]
    fn its_pictures_are_its_image_and_logo_as_urls_of_the_site() {
        let mut row = crate::element::view::tests::row();
        let doc = document(&row.view(), "https://communs.example");
        assert!(doc.get("image").is_none() && doc.get("logo").is_none());
        row.pictures = Some(
            serde_json::json!([
                {"id": "lg", "element_id": "e_1", "role": "logo", "format": "png", "width": 64,
                 "height": 64, "small_width": 64, "small_height": 64, "alt": "", "bytes": 9,
                 "author_id": null, "created_at": 1},
                {"id": "ph", "element_id": "e_1", "role": "photo", "format": "jpeg", "width": 800,
                 "height": 600, "small_width": 320, "small_height": 240, "alt": "Le marché",
                 "bytes": 9, "author_id": null, "created_at": 2}
            ])
            .to_string(),
        );
        let doc = document(&row.view(), "https://communs.example");
        assert_eq!(
            doc["image"],
            serde_json::json!([
                "https://communs.example/media/ph.jpg",
                "https://communs.example/media/lg.png"
            ])
        );
        assert_eq!(doc["logo"], "https://communs.example/media/lg.png");
        let view = serde_json::to_value(row.view()).unwrap();
        assert_eq!(view["photos"][0]["alt"], "Le marché");
        assert_eq!(view["photos"][0]["small"]["url"], "/media/ph-small.jpg");
        assert!(view["banner"].is_null());
    }

    #[test]
    fn types_follow_schema_org() {
        assert_eq!(schema_type("organization", Some("NGO")), "NGO");
        assert_eq!(
            schema_type("organization", Some("Cooperative")),
            "Organization"
        );
        assert_eq!(schema_type("poi", Some("compostPickup")), "Place");
        assert_eq!(schema_type("classified", None), "Offer");
    }

    #[test]
    fn an_organization_has_an_address_and_coordinates() {
        let doc = document(
            &view("organization", Some("LocalBusiness")),
            "https://communs.example",
        );
        assert_eq!(doc["@type"], "LocalBusiness");
        assert_eq!(doc["@id"], "https://communs.example/e/vrac/");
        assert_eq!(doc["address"]["addressLocality"], "Saint-Paul");
        assert_eq!(doc["geo"]["latitude"], -21.0);
        assert_eq!(doc["keywords"], "Épicerie, vrac");
        assert!(
            doc["address"].get("streetAddress").is_none(),
            "nulls are left out"
        );
    }

    #[test]
    fn an_event_happens_at_a_place_and_starts() {
        let doc = document(&view("event", Some("concert")), "https://x");
        assert_eq!(doc["@type"], "Event");
        assert_eq!(doc["location"]["@type"], "Place");
        assert_eq!(doc["startDate"], "1970-01-01T00:00:00Z");
    }

    #[test]
    fn the_script_text_cannot_close_its_element() {
        let text = script_text(&document(&view("project", None), "https://x"));
        assert!(!text.contains("</script>") && !text.contains('<'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "Vrac </script><b>");
    }
}
