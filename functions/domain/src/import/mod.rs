//! Imports: elements read from a CSV or GeoJSON file (the columns of our own exports) or from
//! Communecter's open-data JSON, checked row by row as the API checks one element, and planned
//! before anything is written: which rows are accepted, which are rejected and why, which repeat
//! another. The plan is shown as is for a dry run; the import writes it in one batch, keyed by
//! each record's source id so that importing the same file again changes nothing twice.

pub mod communecter;
pub mod features;
pub mod placing;
pub mod rows;
pub mod table;

use crate::element::input::{ElementData, ElementInput};
use crate::error::{ApiError, ErrorCode};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// The most rows one import takes; a bigger file is split (each part is idempotent).
pub const MAX_ROWS: usize = 1000;
/// The largest file, in bytes (D1 binds at most 2 MB in one value).
pub const MAX_BYTES: usize = 1_500_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    GeoJson,
    Communecter,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "csv" => Some(Format::Csv),
            "geojson" => Some(Format::GeoJson),
            "communecter" => Some(Format::Communecter),
            _ => None,
        }
    }
}

/// One record of the file: its row (1 for the first record), the id the source gives it, and
/// the element as the API's body would describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub row: usize,
    pub source_id: Option<String>,
    pub input: Value,
    /// The commune's name as the file writes it (« ST LOUIS »), to choose among the communes a
    /// postal code serves when the file gives no INSEE code (`placing`).
    pub locality: Option<String>,
}

/// The file's records; 400 when the file as a whole cannot be read, 413 past `MAX_ROWS`.
pub fn read(format: Format, text: &str) -> Result<Vec<Record>, ApiError> {
    let records = match format {
        Format::Csv => table::read(text)?,
        Format::GeoJson => features::read(text)?,
        Format::Communecter => communecter::read(text)?,
    };
    if records.len() > MAX_ROWS {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge));
    }
    Ok(records)
}

/// A row kept: its source id (given, or made from kind, name and commune) and its element.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub row: usize,
    pub source_id: String,
    pub data: ElementData,
}

/// A row refused, with the field at fault and why, in French.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejected {
    pub row: usize,
    pub field: Option<String>,
    pub reason: String,
}

/// A row naming the same element as an earlier one (same source id): left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicate {
    pub row: usize,
    pub same_as_row: usize,
    pub source_id: String,
}

/// A row whose element a person changed since it was last imported: left as they wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kept {
    pub row: usize,
    pub source_id: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub accepted: Vec<Accepted>,
    pub rejected: Vec<Rejected>,
    pub duplicates: Vec<Duplicate>,
    pub kept: Vec<Kept>,
}

/// The source id of a record without one: the same element (kind, name, commune) always
/// gets the same, so a file without ids imports idempotently too.
fn derived_id(data: &ElementData) -> String {
    let kind = data.kind.map(|k| k.as_str()).unwrap_or_default();
    let key = format!(
        "{kind}\u{1f}{}\u{1f}{}",
        crate::text::fold(&data.name),
        data.commune_code
    );
    format!("h:{}", &hex::encode(Sha256::digest(key.as_bytes()))[..24])
}

/// Why a row is refused, said for the person who made the file: what is missing and where.
fn reason(error: &ApiError) -> String {
    let said = match error.field.as_deref() {
        Some("address.commune_code") => {
            "Aucune commune française : le code INSEE manque ou n’en est pas un, et ni la position ni le code postal n’en désignent une."
        }
        Some("kind") => {
            "On ne sait pas ce que c’est (organisation, projet, événement, lieu ou annonce) : donnez sa collection ou son type."
        }
        Some("name") => "Le nom manque ou a moins de deux caractères.",
        Some("contact") => {
            "Une annonce a besoin d’un moyen de contact (contactInfo, courriel ou téléphone)."
        }
        Some("start") => "Un événement a besoin d’une date de début (startDate).",
        Some("end") => "La fin est avant le début.",
        Some("section") => "Une annonce a besoin d’une rubrique (section).",
        _ => return error.code.message().to_string(),
    };
    said.to_string()
}

/// Checks every record as `POST /api/elements` would, and finds repeats.
pub fn plan(records: Vec<Record>) -> Plan {
    let mut plan = Plan::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in records {
        let checked = serde_json::from_value::<ElementInput>(record.input)
            .map_err(|_| ApiError::new(ErrorCode::InvalidJson))
            .and_then(|input| input.apply(None));
        let data = match checked {
            Ok(data) => data,
            Err(error) => {
                plan.rejected.push(Rejected {
                    row: record.row,
                    reason: reason(&error),
                    field: error.field,
                });
                continue;
            }
        };
        let source_id = record
            .source_id
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| derived_id(&data));
        if let Some(first) = seen.get(&source_id) {
            plan.duplicates.push(Duplicate {
                row: record.row,
                same_as_row: *first,
                source_id,
            });
            continue;
        }
        seen.insert(source_id.clone(), record.row);
        plan.accepted.push(Accepted {
            row: record.row,
            source_id,
            data,
        });
    }
    plan
}

impl Plan {
    /// Refuses the accepted rows whose commune the instance does not know, or whose postal
    /// code is not one of their commune's (`postal`: commune, postal code pairs), as the API does.
    pub fn keep_known_places(
        &mut self,
        known: &HashSet<String>,
        postal: &HashSet<(String, String)>,
    ) {
        for accepted in std::mem::take(&mut self.accepted) {
            let data = &accepted.data;
            let fault = if !known.contains(&data.commune_code) {
                Some(("address.commune_code", "Commune inconnue."))
            } else if data
                .postal_code
                .as_ref()
                .is_some_and(|p| !postal.contains(&(data.commune_code.clone(), p.clone())))
            {
                Some((
                    "address.postal_code",
                    "Ce code postal n’est pas celui de la commune.",
                ))
            } else {
                None
            };
            match fault {
                Some((field, reason)) => self.rejected.push(Rejected {
                    row: accepted.row,
                    field: Some(field.into()),
                    reason: reason.into(),
                }),
                None => self.accepted.push(accepted),
            }
        }
        self.rejected.sort_by_key(|r| r.row);
    }

    /// Leaves out the rows whose element was changed by a person since its last import
    /// (`edited`: their source ids): an import never overwrites a person's edit.
    pub fn keep_edited(&mut self, edited: &HashSet<String>) {
        for accepted in std::mem::take(&mut self.accepted) {
            match edited.contains(&accepted.source_id) {
                true => self.kept.push(Kept {
                    row: accepted.row,
                    source_id: accepted.source_id,
                }),
                false => self.accepted.push(accepted),
            }
        }
    }

    /// The distinct communes of the accepted rows.
    pub fn communes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .accepted
            .iter()
            .map(|a| a.data.commune_code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

/// What an import did, or would do (a dry run).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub rows: usize,
    pub accepted: usize,
    /// New elements (to be) created.
    pub created: usize,
    /// Elements imported before from the same source id, (to be) updated.
    pub updated: usize,
    /// Elements imported before that a person changed since: left as they are.
    pub kept: Vec<Kept>,
    pub rejected: Vec<Rejected>,
    pub duplicates: Vec<Duplicate>,
}

impl Report {
    pub fn new(plan: &Plan, rows: usize, existing: &HashSet<String>, dry_run: bool) -> Report {
        let updated = plan
            .accepted
            .iter()
            .filter(|a| existing.contains(&a.source_id))
            .count();
        Report {
            dry_run,
            rows,
            accepted: plan.accepted.len(),
            created: plan.accepted.len() - updated,
            updated,
            kept: plan.kept.clone(),
            rejected: plan.rejected.clone(),
            duplicates: plan.duplicates.clone(),
        }
    }
}

/// Text of a cell or property: trimmed, None when empty.
pub(crate) fn present(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(row: usize, id: Option<&str>, name: &str) -> Record {
        Record {
            locality: None,
            row,
            source_id: id.map(str::to_string),
            input: json!({"kind": "organization", "type": "NGO", "name": name, "address": {"commune_code": "97415"}}),
        }
    }

    #[test]
    fn rows_are_checked_as_the_api_checks_them_and_repeats_found() {
        let mut bad = record(3, Some("x3"), "Sans commune");
        bad.input["address"] = json!({});
        let records = vec![
            record(1, Some("x1"), "Les Amis du Lagon"),
            record(2, None, "Épicerie"),
            bad,
            record(4, Some("x1"), "Les Amis du Lagon, encore"),
            record(5, None, "  épicerie "),
        ];
        let plan = plan(records);
        assert_eq!(
            plan.accepted.iter().map(|a| a.row).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(plan.rejected.len(), 1);
        assert_eq!(plan.rejected[0].row, 3);
        assert_eq!(
            plan.rejected[0].field.as_deref(),
            Some("address.commune_code")
        );
        assert_eq!(
            plan.duplicates
                .iter()
                .map(|d| (d.row, d.same_as_row))
                .collect::<Vec<_>>(),
            [(4, 1), (5, 2)],
            "the same id, or the same kind, name and commune"
        );
        assert!(plan.accepted[1].source_id.starts_with("h:"));
    }

    #[test]
    fn unknown_communes_are_refused_and_the_report_counts_updates() {
        let mut other = record(2, Some("x2"), "Ailleurs");
        other.input["address"]["commune_code"] = json!("99999");
        let mut wrong_postal = record(3, Some("x3"), "Mauvais code");
        wrong_postal.input["address"]["postal_code"] = json!("75001");
        let mut plan = plan(vec![record(1, Some("x1"), "Ici"), other, wrong_postal]);
        assert_eq!(plan.communes(), ["97415", "99999"]);
        let postal = HashSet::from([("97415".to_string(), "97460".to_string())]);
        plan.keep_known_places(&HashSet::from(["97415".to_string()]), &postal);
        assert_eq!(plan.accepted.len(), 1);
        assert_eq!(plan.rejected[0].reason, "Commune inconnue.");
        assert_eq!(
            plan.rejected[1].field.as_deref(),
            Some("address.postal_code")
        );
        let report = Report::new(&plan, 3, &HashSet::from(["x1".to_string()]), true);
        assert_eq!((report.accepted, report.created, report.updated), (1, 0, 1));
        // The element of x1 was edited by a person since its import: kept as it is.
        plan.keep_edited(&HashSet::from(["x1".to_string()]));
        let report = Report::new(&plan, 3, &HashSet::from(["x1".to_string()]), true);
        assert_eq!((report.accepted, report.updated), (0, 0));
        assert_eq!(
            report.kept,
            [Kept {
                row: 1,
                source_id: "x1".into()
            }]
        );
    }
}
