//! The rows an import writes: each accepted record as the element it becomes (placed in its
//! commune, a free slug for a new one), in the JSON the store's statements read with `json_each`.

use super::Plan;
use crate::element::slug;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Where a commune puts an element.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Place {
    pub code: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: String,
    pub source_id: String,
    pub slug: String,
    pub kind: &'static str,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: String,
    pub short_description: Option<String>,
    pub description: Option<String>,
    /// The stored JSON text of the tags.
    pub tags: String,
    pub tag_keys: Vec<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub commune_code: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geohash: Option<String>,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    pub all_day: i64,
    pub stage: Option<String>,
    pub section: Option<String>,
    pub price_cents: Option<i64>,
    pub currency: Option<String>,
    pub contact: Option<String>,
    pub category: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// JSON of the slots, or None.
    pub opening_hours: Option<String>,
    pub accessibility: Option<String>,
    pub open_edition: i64,
    pub requires_approval: i64,
    pub source_name: Option<String>,
    pub source_url: Option<String>,
    pub licence: Option<String>,
}

/// Where a whole import's data comes from and under which licence, kept on each element it
/// writes and shown on its page (the town halls: the Annuaire de l'administration).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    pub name: String,
    pub url: Option<String>,
    pub licence: Option<String>,
}

/// The new rows and the updated ones. `existing`: source id → element imported before;
/// `taken`: slugs already used by the bases of the new names; `origin`: where the data comes
/// from, if the importer says; `new_id` makes an element id (given the row's source id).
pub fn rows(
    plan: &Plan,
    places: &HashMap<String, Place>,
    existing: &HashMap<String, String>,
    taken: &[String],
    origin: Option<&Origin>,
    mut new_id: impl FnMut(&str) -> String,
) -> (Vec<Row>, Vec<Row>) {
    let mut taken: Vec<String> = taken.to_vec();
    let mut seen: HashSet<String> = taken.iter().cloned().collect();
    let (mut created, mut updated) = (Vec::new(), Vec::new());
    for accepted in &plan.accepted {
        let mut data = accepted.data.clone();
        let place = places.get(&data.commune_code);
        let geohash = data.place(place.and_then(|p| p.lat), place.and_then(|p| p.lon));
        let (id, slug, is_new) = match existing.get(&accepted.source_id) {
            Some(id) => (id.clone(), String::new(), false),
            None => {
                let slug = slug::first_free(&slug::base(&data.name), &taken);
                if seen.insert(slug.clone()) {
                    taken.push(slug.clone());
                }
                (new_id(&accepted.source_id), slug, true)
            }
        };
        let row = Row {
            id,
            source_id: accepted.source_id.clone(),
            slug,
            kind: data.kind().as_str(),
            tags: serde_json::to_string(&data.tags).unwrap_or_else(|_| "[]".into()),
            tag_keys: data.tag_keys(),
            departement: place.and_then(|p| p.departement.clone()),
            region: place.and_then(|p| p.region.clone()),
            geohash,
            all_day: i64::from(data.all_day),
            type_: data.type_,
            name: data.name,
            short_description: data.short_description,
            description: data.description,
            street: data.street,
            postal_code: data.postal_code,
            commune_code: data.commune_code,
            lat: data.lat,
            lon: data.lon,
            start_at: data.start,
            end_at: data.end,
            stage: data.stage,
            section: data.section,
            price_cents: data.price_cents,
            currency: data.currency,
            contact: data.contact,
            category: data.category,
            url: data.url,
            email: data.email,
            phone: data.phone,
            opening_hours: (!data.opening_hours.is_empty())
                .then(|| serde_json::to_string(&data.opening_hours).unwrap_or_default()),
            accessibility: data.accessibility,
            open_edition: i64::from(data.open_edition),
            requires_approval: i64::from(data.requires_approval),
            source_name: origin.map(|o| o.name.clone()),
            source_url: origin.and_then(|o| o.url.clone()),
            licence: origin.and_then(|o| o.licence.clone()),
        };
        if is_new {
            created.push(row)
        } else {
            updated.push(row)
        }
    }
    (created, updated)
}

#[cfg(test)]
mod tests {
    use super::super::{Record, plan};
    use super::*;
    use serde_json::json;

    #[test]
    fn new_rows_get_free_slugs_and_their_communes_place() {
        let record = |row: usize, id: &str, name: &str, lat: Option<f64>| {
            let mut input = json!({"kind": "organization", "type": "NGO", "name": name, "tags": ["Mer"], "address": {"commune_code": "97415"}});
            if let Some(lat) = lat {
                input["lat"] = json!(lat);
                input["lon"] = json!(55.27);
            }
            Record {
                row,
                source_id: Some(id.into()),
                input,
                locality: None,
            }
        };
        let plan = plan(vec![
            record(1, "a", "Lagon", None),
            record(2, "b", "Lagon", Some(-21.0)),
            record(3, "c", "Autre", None),
        ]);
        let places = HashMap::from([(
            "97415".to_string(),
            Place {
                code: "97415".into(),
                departement: Some("974".into()),
                region: Some("04".into()),
                lat: Some(-21.01),
                lon: Some(55.26),
            },
        )]);
        let existing = HashMap::from([("c".to_string(), "e_old".to_string())]);
        let mut n = 0;
        let origin = Origin {
            name: "Annuaire".into(),
            url: None,
            licence: Some("Licence Ouverte 2.0".into()),
        };
        let (created, updated) = rows(
            &plan,
            &places,
            &existing,
            &["lagon".into()],
            Some(&origin),
            |_| {
                n += 1;
                format!("e_{n}")
            },
        );
        assert_eq!(created[0].licence.as_deref(), Some("Licence Ouverte 2.0"));
        assert_eq!(updated[0].source_name.as_deref(), Some("Annuaire"));
        assert_eq!(
            created.iter().map(|r| r.slug.as_str()).collect::<Vec<_>>(),
            ["lagon-2", "lagon-3"]
        );
        assert_eq!(
            (created[0].lat, created[0].lon),
            (Some(-21.01), Some(55.26)),
            "the commune's position"
        );
        assert_eq!(created[1].lat, Some(-21.0), "its own position");
        assert!(created[0].geohash.as_deref().is_some_and(|g| g.len() == 9));
        assert_eq!(
            (
                created[0].departement.as_deref(),
                created[0].tag_keys.clone()
            ),
            (Some("974"), vec!["mer".to_string()])
        );
        assert_eq!(
            (
                updated.len(),
                updated[0].id.as_str(),
                updated[0].source_id.as_str()
            ),
            (1, "e_old", "c")
        );
    }
}
