//! Communecter's data as it really comes out of it, so that a community can move here with what
//! it has (README, "Imports"): a list of records, an object holding such lists or records by id
//! (its API answers, `{"meta", "entities"}`), or records written one after the other with nothing
//! between them (its MongoDB dumps). A record becomes the body `POST /api/elements` would take:
//! its kind from its collection, its `typeSig` or its type; Communecter's own types, sections and
//! older values mapped to ours (`vocabulary`); its values read however they were written
//! (`values`); a record without an address placed at its parent's (the organization, project
//! or organizer it names) when the file holds the parent. A row's number is the record's
//! position, from 1.

mod values;
mod vocabulary;

use super::Record;
use crate::element::Kind;
use crate::error::{ApiError, ErrorCode};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use values::{date, id, number, phone, position, postal_code, tags, text, truth};

pub fn read(text: &str) -> Result<Vec<Record>, ApiError> {
    let root = parse(text)?;
    let mut found = Vec::new();
    collect(&root, None, None, &mut found, 0);
    if found.is_empty() && !root.is_array() {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "file"));
    }
    let index: HashMap<String, &Value> = found
        .iter()
        .filter_map(|(record, _, key)| Some((source_id(record).or(key.clone())?, *record)))
        .collect();
    Ok(found
        .iter()
        .enumerate()
        .map(|(i, (record, collection, key))| Record {
            row: i + 1,
            source_id: source_id(record).or(key.clone()),
            input: element(record, collection.as_deref(), &index),
            locality: locality(record, &index),
        })
        .collect())
}

/// One JSON value, or several written one after the other (a dump), as a list.
fn parse(text: &str) -> Result<Value, ApiError> {
    let invalid = || ApiError::on_field(ErrorCode::InvalidField, "file");
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return Ok(value);
    }
    let values: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .collect();
    match values {
        Ok(values) if values.len() > 1 => Ok(Value::Array(values)),
        _ => Err(invalid()),
    }
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

fn source_id(record: &Value) -> Option<String> {
    id(&record["_id"]).or_else(|| text(&record["id"]))
}

/// The kind: the record's own `collection` or `typeSig`, else the list it sits in
/// (`projects`…), else its type when that names a collection (`classifieds`, `ressources`,
/// `jobs`) or a kind's own type, else its JSON-LD `@type`.
fn kind_of(record: &Value, outer: Option<&str>) -> Option<Kind> {
    use vocabulary::{kind_of_collection, kind_of_schema_type};
    let type_ = record["type"].as_str().unwrap_or_default();
    text(&record["collection"])
        .or_else(|| text(&record["typeSig"]))
        .as_deref()
        .and_then(kind_of_collection)
        .or_else(|| outer.and_then(kind_of_collection))
        .or_else(|| kind_of_collection(type_))
        .or_else(|| Kind::ALL.into_iter().find(|k| k.types().contains(&type_)))
        .or_else(|| record["@type"].as_str().and_then(kind_of_schema_type))
        .or_else(|| record.get("typeCommunecter").map(|_| Kind::Organization))
        .or_else(|| record.get("section").map(|_| Kind::Classified))
}

/// The parent a record names (the organization, project or event it belongs to, or its
/// organizer), when the file holds it: `parent: {id: {type}}`, `parentId`, `organizer`,
/// `organizerId`, `links.organizer`.
fn parent<'a>(record: &Value, index: &HashMap<String, &'a Value>) -> Option<&'a Value> {
    let keys = |value: &Value| -> Vec<String> {
        value
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut named: Vec<String> = keys(&record["parent"]);
    named.extend(text(&record["parentId"]));
    named.extend(keys(&record["organizer"]));
    named.extend(text(&record["organizerId"]));
    named.extend(keys(&record["links"]["organizer"]));
    named.iter().find_map(|id| index.get(id).copied())
}

/// The commune's name its address (or its parent's, as `element` places it) writes.
fn locality(record: &Value, index: &HashMap<String, &Value>) -> Option<String> {
    let (own, _) = place(record);
    text(&own["addressLocality"]).or_else(|| {
        let (theirs, _) = place(parent(record, index)?);
        text(&theirs["addressLocality"])
    })
}

/// Where a record is: its address (or its first secondary address) and position.
fn place(record: &Value) -> (&Value, Option<(f64, f64)>) {
    let first = &record["addresses"][0];
    let address = match text(&record["address"]["codeInsee"]) {
        Some(_) => &record["address"],
        None if text(&first["address"]["codeInsee"]).is_some() => &first["address"],
        None => &record["address"],
    };
    (address, position(record).or_else(|| position(first)))
}

/// The API body of one record.
fn element(record: &Value, outer: Option<&str>, index: &HashMap<String, &Value>) -> Value {
    let mut input = Map::new();
    let kind = kind_of(record, outer);
    let found_parent = parent(record, index);
    if let Some(kind) = kind {
        input.insert("kind".into(), json!(kind.as_str()));
        kind_fields(&mut input, kind, record, found_parent);
    }
    let fields = [
        ("name", "name"),
        ("shortDescription", "short_description"),
        ("description", "description"),
    ];
    let html = truth(&record["descriptionHTML"]).unwrap_or(false);
    for (theirs, ours) in fields {
        if let Some(value) = text(&record[theirs]) {
            let value = match html && theirs == "description" {
                true => values::plain(&value),
                false => value,
            };
            input.entry(ours).or_insert_with(|| json!(value));
        }
    }
    let tags = tags(&record["tags"]);
    if !tags.is_empty() {
        input.insert("tags".into(), json!(tags));
    }
    let web = text(&record["url"])
        .or_else(|| text(&record["url"]["website"]))
        .or_else(|| {
            record["urls"]
                .as_array()
                .and_then(|u| u.iter().find_map(text))
        })
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    if let Some(url) = web {
        input.insert("url".into(), json!(url));
    }
    if kind != Some(Kind::Classified) {
        if let Some(email) = text(&record["email"]) {
            input.insert("email".into(), json!(email));
        }
        if let Some(number) = phone(&record["telephone"]).or_else(|| phone(&record["phone"])) {
            input.insert("phone".into(), json!(number));
        }
    }

    // Its own address, else its parent's; its own position, else its parent's.
    let (own, own_position) = place(record);
    let (address, at) = match (text(&own["codeInsee"]), found_parent) {
        (None, Some(parent)) => {
            let (theirs, their_position) = place(parent);
            (theirs, own_position.or(their_position))
        }
        _ => (own, own_position),
    };
    if let Some((lat, lon)) = at {
        input.insert("lat".into(), json!(lat));
        input.insert("lon".into(), json!(lon));
    }
    let mut ours = Map::new();
    if let Some(street) = text(&address["streetAddress"]) {
        ours.insert("street".into(), json!(street));
    }
    if let Some(code) = postal_code(&address["postalCode"]) {
        ours.insert("postal_code".into(), json!(code));
    }
    if let Some(code) = text(&address["codeInsee"]) {
        ours.insert("commune_code".into(), json!(code));
    }
    input.insert("address".into(), Value::Object(ours));
    Value::Object(input)
}

/// What only some kinds have: types, dates, a project's stage, an ad's section, price and
/// contact.
fn kind_fields(input: &mut Map<String, Value>, kind: Kind, record: &Value, parent: Option<&Value>) {
    use vocabulary::{currency, event_type, organization_type, poi_type, section};
    let type_ = |keys: &[&str]| keys.iter().find_map(|k| text(&record[*k]));
    match kind {
        Kind::Organization => {
            let named = type_(&["typeCommunecter", "typeOrga", "type"]);
            input.insert("type".into(), json!(organization_type(named.as_deref())));
        }
        Kind::Event => {
            let named = type_(&["typeEvent", "type"]);
            input.insert("type".into(), json!(event_type(named.as_deref())));
        }
        Kind::Poi => {
            let named = type_(&["typePoi", "type"]);
            input.insert("type".into(), json!(poi_type(named.as_deref())));
        }
        Kind::Project => {
            let stage =
                text(&record["properties"]["avancement"]).or_else(|| text(&record["maturity"]));
            if let Some(stage) = stage.filter(|s| crate::element::STAGES.contains(&s.as_str())) {
                input.insert("stage".into(), json!(stage));
            }
        }
        Kind::Classified => {
            let type_ = text(&record["typeClassified"]).or_else(|| text(&record["type"]));
            let section = section(type_.as_deref(), text(&record["section"]).as_deref());
            input.insert("section".into(), json!(section));
            if let Some(category) = text(&record["category"]) {
                input.insert("category".into(), json!(category));
            }
            let price = number(&record["price"]).filter(|p| *p >= 0.0);
            let sign = text(&record["devise"]);
            match (price, currency(sign.as_deref())) {
                (Some(price), Some(code)) => {
                    input.insert("price_cents".into(), json!((price * 100.0).round() as i64));
                    input.insert("currency".into(), json!(code));
                }
                // A price in a currency without an ISO code (the Ğ1) is kept in words.
                (Some(price), None) => {
                    let said = format!("Prix : {price} {}", sign.unwrap_or_default());
                    let description = match text(&record["description"]) {
                        Some(d) => format!("{d}\n\n{said}"),
                        None => said,
                    };
                    input.insert("description".into(), json!(description));
                }
                _ => {}
            }
            let contact = text(&record["contactInfo"])
                .or_else(|| text(&record["email"]))
                .or_else(|| phone(&record["telephone"]))
                .or_else(|| {
                    parent.and_then(|p| text(&p["email"]).or_else(|| phone(&p["telephone"])))
                });
            if let Some(contact) = contact {
                input.insert("contact".into(), json!(contact));
            }
        }
    }
    if let Some(start) = date(&record["startDate"]) {
        input.insert("start".into(), json!(start));
    }
    if let Some(end) = date(&record["endDate"]) {
        input.insert("end".into(), json!(end));
    }
    if let Some(all_day) = truth(&record["allDay"]).filter(|_| kind == Kind::Event) {
        input.insert("all_day".into(), json!(all_day));
    }
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

    #[test]
    fn a_dump_of_records_one_after_the_other_is_read() {
        let dump = r#"{"_id":{"$oid":"a1"},"name":"Vélo","type":"classifieds","section":"forsale","contactInfo":"06 00 00 00 00","address":{"codeInsee":"97415"}}{"_id":{"$oid":"a2"},"name":"Aide aux devoirs","type":"ressoures","section":"offer","contactInfo":"x@y.fr","address":{"codeInsee":"97415"}}
{"_id":{"$oid":"a3"},"name":"Cherche jardinier","type":"jobs","section":"need","contactInfo":"x@y.fr","address":{"codeInsee":"97415"}}"#;
        let records = read(dump).unwrap();
        let sections: Vec<(&str, &str)> = records
            .iter()
            .map(|r| {
                (
                    r.input["kind"].as_str().unwrap(),
                    r.input["section"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            sections,
            [
                ("classified", "forsale"),
                ("classified", "sharing"),
                ("classified", "lookingfor")
            ]
        );
        assert_eq!(records[1].source_id.as_deref(), Some("a2"));
        assert_eq!(
            read("{\"name\": \"x\"} nonsense")
                .unwrap_err()
                .field
                .as_deref(),
            Some("file")
        );
    }

    #[test]
    fn a_record_without_an_address_stands_at_its_parent_s() {
        let text = json!([
            {"_id": {"$id": "org1"}, "name": "Association du quartier", "type": "NGO", "email": "asso@quartier.fr",
             "address": {"codeInsee": "97415", "postalCode": "97460", "streetAddress": "1 rue du Port"},
             "geo": {"latitude": "-21.01", "longitude": "55.27"}},
            {"_id": {"$id": "c1"}, "name": "Tables à prêter", "type": "ressources", "section": "offer",
             "parentId": "org1", "parentType": "organizations"},
            {"_id": {"$id": "ev1"}, "name": "Vide-grenier", "type": "market", "startDate": {"sec": 1_900_000_000, "usec": 0},
             "organizer": {"org1": {"type": "organizations"}}},
            {"_id": {"$id": "c2"}, "name": "Sans parent connu", "type": "classifieds", "section": "forsale",
             "contactInfo": "x@y.fr", "parentId": "ailleurs", "parentType": "citoyens"}
        ])
        .to_string();
        let records = read(&text).unwrap();
        let tables = &records[1].input;
        assert_eq!(tables["address"]["commune_code"], "97415");
        assert_eq!(tables["address"]["street"], "1 rue du Port");
        assert_eq!(
            (tables["lat"].clone(), tables["lon"].clone()),
            (json!(-21.01), json!(55.27))
        );
        assert_eq!(
            tables["contact"], "asso@quartier.fr",
            "the parent's contact"
        );
        let fair = &records[2].input;
        assert_eq!(fair["address"]["commune_code"], "97415");
        assert_eq!(fair["start"], "2030-03-17T17:46:40+00:00");
        assert_eq!(
            records[3].input["address"],
            json!({}),
            "nothing to stand at: refused later, by field"
        );
    }

    /// The fixtures reproduce every shape met in Communecter's public repositories (invented
    /// data): a MongoDB dump of classifieds, an API answer, a community's several collections.
    #[test]
    fn the_fixtures_of_every_shape_are_read_and_planned() {
        use crate::import::{placing, plan};
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/communecter/"
        );
        let file = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
        // As the server places unplaced rows: Saint-Paul (97415) serves 97460.
        let served = [placing::Served {
            postal_code: "97460".into(),
            code: "97415".into(),
            name: "Saint-Paul".into(),
        }];
        let planned = |name: &str| {
            let mut records = read(&file(name)).unwrap();
            placing::place(&mut records, &served, Vec::new());
            (records.clone(), plan(records))
        };

        let (records, dump) = planned("classifieds-dump.json");
        assert_eq!(records.len(), 9);
        let accepted = |row: usize| &dump.accepted.iter().find(|a| a.row == row).unwrap().data;
        let rejected: Vec<(usize, &str)> = dump
            .rejected
            .iter()
            .map(|r| (r.row, r.field.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(
            rejected,
            [
                (6, "contact"),
                (7, "address.commune_code"),
                (8, "address.commune_code")
            ],
            "no contact, a British address, nowhere at all: what cannot be saved"
        );
        assert_eq!(
            accepted(4).commune_code,
            "97415",
            "« undefined » placed by its postal code"
        );
        assert_eq!(accepted(4).section.as_deref(), Some("job"));
        assert_eq!(accepted(1).section.as_deref(), Some("forsale"));
        assert_eq!(
            (accepted(1).lat, accepted(1).lon),
            (Some(-21.286), Some(55.411))
        );
        assert_eq!(
            accepted(2).description.as_deref(),
            Some("Pour tout le quartier.\n\nPrévenir la veille.")
        );
        assert_eq!(accepted(2).section.as_deref(), Some("sharing"));
        assert_eq!(accepted(3).section.as_deref(), Some("lookingfor"));
        assert!(accepted(3).tags.is_empty());
        assert_eq!(
            accepted(5).commune_code,
            "97415",
            "placed by its postal code"
        );
        assert_eq!(accepted(5).description.as_deref(), Some("Prix : 25 Ğ1"));
        assert_eq!(
            (accepted(9).price_cents, accepted(9).commune_code.as_str()),
            (Some(200), "97415")
        );
        assert_eq!(accepted(9).tags, ["livres", "enfants"]);

        let (_, api) = planned("organizations-api.json");
        let types: Vec<&str> = api
            .accepted
            .iter()
            .map(|a| a.data.type_.as_deref().unwrap())
            .collect();
        assert_eq!(types, ["NGO", "LocalBusiness", "Group"]);
        assert_eq!(api.accepted[0].source_id, "5c0000000000000000000001");
        assert_eq!(
            api.accepted[0].data.url.as_deref(),
            Some("https://jardiniers.exemple.fr")
        );
        assert_eq!(
            api.accepted[0].data.phone.as_deref(),
            Some("02 62 00 00 01")
        );

        let (_, community) = planned("community.json");
        assert_eq!(community.accepted.len(), 6);
        assert_eq!(
            community
                .rejected
                .iter()
                .map(|r| r.field.as_deref().unwrap())
                .collect::<Vec<_>>(),
            ["start"]
        );
        let named = |name: &str| {
            &community
                .accepted
                .iter()
                .find(|a| a.data.name == name)
                .unwrap()
                .data
        };
        let project = named("Nettoyage du lagon");
        assert_eq!(
            (project.commune_code.as_str(), project.stage.as_deref()),
            ("97415", Some("started"))
        );
        assert_eq!(
            project.description.as_deref(),
            Some("Chaque mois, ramassage des déchets.")
        );
        let cleaning = named("Grand nettoyage de printemps");
        assert_eq!(cleaning.commune_code, "97415", "at its organizer's address");
        assert_eq!(
            cleaning.start,
            Some(1_898_582_400),
            "2030-03-01T08:00:00+0000"
        );
        assert_eq!(
            named("Exposition de photos sous-marines").type_.as_deref(),
            Some("exhibition")
        );
        assert_eq!(
            named("Fresque du front de mer").type_.as_deref(),
            Some("streetArts")
        );
        assert_eq!(
            named("Fiche pratique du tri").type_.as_deref(),
            Some("other")
        );
        assert_eq!(
            named("Association Lagon Bleu").type_.as_deref(),
            Some("NGO")
        );
    }

    #[test]
    fn prices_in_a_currency_without_a_code_are_kept_in_words() {
        let records = read(
            &json!([{"name": "Pain maison", "type": "classifieds", "section": "forsale", "price": "5",
                     "devise": "Ğ1", "description": "Cuit au feu de bois.", "contactInfo": "06",
                     "address": {"codeInsee": "97415"}},
                    {"name": "Table", "type": "classifieds", "section": "forsale", "price": 25, "devise": null,
                     "contactInfo": "06", "address": {"codeInsee": "97415"}}])
            .to_string(),
        )
        .unwrap();
        assert_eq!(records[0].input.get("price_cents"), None);
        assert_eq!(
            records[0].input["description"],
            "Cuit au feu de bois.\n\nPrix : 5 Ğ1"
        );
        assert_eq!(
            (
                records[1].input["price_cents"].clone(),
                records[1].input["currency"].clone()
            ),
            (json!(2500), json!("EUR"))
        );
    }
}
