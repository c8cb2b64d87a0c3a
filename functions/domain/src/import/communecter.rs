//! Communecter's open-data JSON, so that a Communecter community can move here: a list of
//! records (or an object holding such lists or records by id, as its API answers), each with
//! `name`, `type`, `address{streetAddress, postalCode, addressLocality, codeInsee}`,
//! `geo{latitude, longitude}`, `tags`, `shortDescription`, `description`, `url`, `email`,
//! `startDate`, `endDate`, and its id (`_id.$id`, `_id` or `id`). The kind comes from the
//! record's collection (`collection` or the list it is in) or from its type, whose names
//! Communecter and this project share. A row's number is the record's position, from 1.

use super::{Record, present};
use crate::element::Kind;
use crate::error::{ApiError, ErrorCode};
use serde_json::{Map, Value, json};

pub fn read(text: &str) -> Result<Vec<Record>, ApiError> {
    let root: Value = serde_json::from_str(text)
        .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "file"))?;
    let mut found = Vec::new();
    collect(&root, None, None, &mut found, 0);
    if found.is_empty() && !root.is_array() {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "file"));
    }
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(i, (record, collection, key))| Record {
            row: i + 1,
            source_id: source_id(record).or(key),
            input: element(record, collection.as_deref()),
        })
        .collect())
}

/// A record found: itself, the collection it is in, and the key it is filed under (its id,
/// when its collection is a map by id).
type Found<'a> = (&'a Value, Option<String>, Option<String>);

/// Records are objects with a `name`; lists and maps of them are walked (two levels deep).
fn collect<'a>(
    value: &'a Value,
    collection: Option<String>,
    key: Option<String>,
    out: &mut Vec<Found<'a>>,
    depth: u8,
) {
    match value {
        Value::Object(map) if map.contains_key("name") => out.push((value, collection, key)),
        Value::Object(map) if depth < 2 => {
            for (name, inner) in map {
                // The outermost key names the collection (`projects`); deeper ones are ids.
                let (collection, key) = match &collection {
                    None => (Some(name.clone()), None),
                    Some(c) => (Some(c.clone()), Some(name.clone())),
                };
                collect(inner, collection, key, out, depth + 1);
            }
        }
        Value::Array(list) if depth < 3 => {
            for inner in list {
                collect(inner, collection.clone(), None, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => present(Some(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn source_id(record: &Value) -> Option<String> {
    text(&record["_id"]["$id"])
        .or_else(|| text(&record["_id"]["$oid"]))
        .or_else(|| text(&record["_id"]))
        .or_else(|| text(&record["id"]))
}

/// The kind: from the record's own `collection`, else from the list it sits in (`projects`,
/// `events`…), else from its type (`project`, or a type only one kind takes, like `NGO`).
fn kind_of(record: &Value, outer: Option<&str>) -> Option<Kind> {
    let named = |name: &str| match name.trim_end_matches('s') {
        "organization" => Some(Kind::Organization),
        "project" => Some(Kind::Project),
        "event" => Some(Kind::Event),
        "poi" => Some(Kind::Poi),
        "classified" => Some(Kind::Classified),
        _ => None,
    };
    let type_ = record["type"].as_str().unwrap_or_default();
    text(&record["collection"])
        .as_deref()
        .and_then(named)
        .or_else(|| outer.and_then(named))
        .or_else(|| named(type_))
        .or_else(|| Kind::ALL.into_iter().find(|k| k.types().contains(&type_)))
}

/// The API body of one record.
fn element(record: &Value, outer: Option<&str>) -> Value {
    let mut input = Map::new();
    let kind = kind_of(record, outer);
    if let Some(kind) = kind {
        input.insert("kind".into(), json!(kind.as_str()));
        // A type only where the kind takes it (a project's "project" is its kind, not a type).
        if let Some(type_) = record["type"].as_str().filter(|t| kind.types().contains(t)) {
            input.insert("type".into(), json!(type_));
        }
    }
    let fields = [
        ("name", "name"),
        ("shortDescription", "short_description"),
        ("description", "description"),
        ("url", "url"),
        ("email", "email"),
        ("startDate", "start"),
        ("endDate", "end"),
    ];
    for (theirs, ours) in fields {
        if let Some(value) = text(&record[theirs]) {
            input.insert(ours.into(), json!(value));
        }
    }
    if let Some(tags) = record["tags"].as_array() {
        let tags: Vec<String> = tags.iter().filter_map(text).collect();
        input.insert("tags".into(), json!(tags));
    }
    let number = |v: &Value| v.as_f64().or_else(|| v.as_str()?.trim().parse().ok());
    if let (Some(lat), Some(lon)) = (
        number(&record["geo"]["latitude"]),
        number(&record["geo"]["longitude"]),
    ) {
        input.insert("lat".into(), json!(lat));
        input.insert("lon".into(), json!(lon));
    }
    let address = &record["address"];
    let mut ours = Map::new();
    for (theirs, key) in [
        ("streetAddress", "street"),
        ("postalCode", "postal_code"),
        ("codeInsee", "commune_code"),
    ] {
        if let Some(value) = text(&address[theirs]) {
            ours.insert(key.into(), json!(value));
        }
    }
    input.insert("address".into(), Value::Object(ours));
    Value::Object(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communecter_records_become_api_bodies() {
        let text = json!({"organizations": [
            {"_id": {"$id": "5a1b"}, "name": "Les Amis du Lagon", "type": "NGO", "tags": ["mer"],
             "address": {"postalCode": "97460", "addressLocality": "Saint-Paul", "codeInsee": "97415"},
             "geo": {"latitude": "-21.0096", "longitude": "55.2707"}, "shortDescription": "Plages propres"}
        ], "projects": {"6c2d": {"name": "Jardin", "type": "project", "address": {"codeInsee": "97416"}}},
          "events": [{"id": "7e3f", "name": "Marché", "type": "market", "startDate": "2030-12-20T14:00:00Z", "address": {"codeInsee": "97415"}}]})
        .to_string();
        let records = read(&text).unwrap();
        let by_id = |id: &str| {
            records
                .iter()
                .find(|r| r.source_id.as_deref() == Some(id))
                .unwrap()
        };
        let lagon = &by_id("5a1b").input;
        assert_eq!(
            (lagon["kind"].as_str(), lagon["type"].as_str()),
            (Some("organization"), Some("NGO"))
        );
        assert_eq!(
            (lagon["lat"].clone(), lagon["lon"].clone()),
            (json!(-21.0096), json!(55.2707))
        );
        assert_eq!(
            lagon["address"],
            json!({"postal_code": "97460", "commune_code": "97415"})
        );
        assert_eq!(lagon["short_description"], "Plages propres");
        let garden = &by_id("6c2d").input;
        assert_eq!(garden["kind"], "project");
        assert!(garden.get("type").is_none());
        let market = &by_id("7e3f").input;
        assert_eq!(
            (market["kind"].as_str(), market["type"].as_str()),
            (Some("event"), Some("market"))
        );
        assert_eq!(market["start"], "2030-12-20T14:00:00Z");
        assert_eq!(read("[1, 2]").unwrap(), []);
        assert_eq!(
            read("{\"x\": 1}").unwrap_err().field.as_deref(),
            Some("file")
        );
    }
}
