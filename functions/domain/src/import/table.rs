//! CSV imports: a header, then one element per row, in the columns of our CSV export (README,
//! "Open data"); other columns are ignored. `id` (or `source_id`) is the source's id. Tags are
//! separated by `|` (as exported), or by commas when no `|` is there. A row's number is its
//! line in the file, the header being line 1.

use super::{Record, present};
use crate::error::{ApiError, ErrorCode};
use serde_json::{Map, Value, json};

pub fn read(text: &str) -> Result<Vec<Record>, ApiError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "file"))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    for needed in ["kind", "name", "commune_code"] {
        if !header.iter().any(|h| h == needed) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, needed));
        }
    }
    let mut records = Vec::new();
    for result in reader.records() {
        let row = result.map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "file"))?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let cell = |name: &str| {
            let index = header.iter().position(|h| h == name)?;
            present(row.get(index))
        };
        records.push(Record {
            row: line,
            source_id: cell("id").or_else(|| cell("source_id")),
            input: element(&cell),
            locality: cell("commune_name"),
        });
    }
    Ok(records)
}

/// The API body of one element from its cells (also used for GeoJSON properties).
pub(crate) fn element(cell: &dyn Fn(&str) -> Option<String>) -> Value {
    let mut input = Map::new();
    for key in [
        "kind",
        "type",
        "name",
        "short_description",
        "description",
        "start",
        "end",
        "url",
        "email",
        "phone",
    ] {
        if let Some(value) = cell(key) {
            input.insert(key.into(), json!(value));
        }
    }
    if let Some(tags) = cell("tags") {
        let separator = if tags.contains('|') { '|' } else { ',' };
        let tags: Vec<String> = tags
            .split(separator)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        input.insert("tags".into(), json!(tags));
    }
    for key in ["lat", "lon"] {
        if let Some(value) = cell(key) {
            // A number that is not one stays text, and the element's check refuses it.
            let number = value
                .replace(',', ".")
                .parse::<f64>()
                .map_or(json!(value), |n| json!(n));
            input.insert(key.into(), number);
        }
    }
    let mut address = Map::new();
    for key in ["street", "postal_code", "commune_code"] {
        if let Some(value) = cell(key) {
            address.insert(key.into(), json!(value));
        }
    }
    input.insert("address".into(), Value::Object(address));
    Value::Object(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_api_bodies_numbered_by_their_line() {
        let text = "\u{feff}id,kind,type,name,commune_code,lat,lon,tags,extra\n\
                    e_1,organization,NGO,\"Les Amis du \"\"Lagon\"\"\",97415,\"-21,0096\",55.2707,\"mer | plage, propre\",x\n\
                    ,poi,sharedLibrary,\"Boîte\nà livres\",97416,,,\"livres, échange\",\n";
        let records = read(text).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(
            (records[0].row, records[0].source_id.as_deref()),
            (2, Some("e_1"))
        );
        assert_eq!(records[0].input["name"], "Les Amis du \"Lagon\"");
        assert_eq!(records[0].input["lat"], -21.0096);
        assert_eq!(records[0].input["tags"], json!(["mer", "plage, propre"]));
        assert_eq!(records[0].input["address"]["commune_code"], "97415");
        assert!(records[0].input.get("extra").is_none());
        assert_eq!((records[1].row, records[1].source_id.as_deref()), (3, None));
        assert_eq!(records[1].input["tags"], json!(["livres", "échange"]));
        assert!(records[1].input.get("lat").is_none());
    }

    #[test]
    fn a_file_without_a_needed_column_is_refused_whole() {
        let error = read("kind,name\norganization,X\n").unwrap_err();
        assert_eq!(error.field.as_deref(), Some("commune_code"));
    }
}
