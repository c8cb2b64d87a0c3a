//! What a person sends to create or change an element, and the checks that make it an element.
//! One body type serves both: on create, required fields must be there; on update, an absent
//! field is left alone and `null` clears an optional one.

use super::hours::{self, Slot};
use super::{Kind, SECTIONS, STAGES};
use crate::error::{ApiError, ErrorCode};
use crate::patch::{merge, present};
use crate::text::fold;
use chrono::DateTime;
use serde::Deserialize;

pub const MAX_NAME: usize = 120;
pub const MAX_SHORT_DESCRIPTION: usize = 280;
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG: usize = 40;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[serde(default, deserialize_with = "present")]
    pub street: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub postal_code: Option<Option<String>>,
    pub commune_code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementInput {
    pub kind: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "present")]
    pub type_: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub short_description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub address: Option<AddressInput>,
    #[serde(default, deserialize_with = "present")]
    pub lat: Option<Option<f64>>,
    #[serde(default, deserialize_with = "present")]
    pub lon: Option<Option<f64>>,
    #[serde(default, deserialize_with = "present")]
    pub start: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub end: Option<Option<String>>,
    pub all_day: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    pub stage: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub section: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub price_cents: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    pub currency: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub contact: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub category: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub url: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub opening_hours: Option<Option<Vec<Slot>>>,
    #[serde(default, deserialize_with = "present")]
    pub accessibility: Option<Option<String>>,
    pub open_edition: Option<bool>,
    pub requires_approval: Option<bool>,
}

/// An element's own fields, checked and normalised, as stored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ElementData {
    pub kind: Option<Kind>,
    pub type_: Option<String>,
    pub name: String,
    pub short_description: Option<String>,
    pub description: Option<String>,
    /// As written by people, deduplicated by their folded form.
    pub tags: Vec<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub commune_code: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Unix seconds.
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub all_day: bool,
    pub stage: Option<String>,
    pub section: Option<String>,
    pub price_cents: Option<i64>,
    pub currency: Option<String>,
    pub contact: Option<String>,
    pub category: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Empty when unknown.
    pub opening_hours: Vec<Slot>,
    pub accessibility: Option<String>,
    pub open_edition: bool,
    pub requires_approval: bool,
}

impl ElementData {
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Organization)
    }

    /// After an edit of `before`: moved to another commune with the position it had, it
    /// forgets that position (it lies in the old commune) and takes its new commune's (`place`).
    pub fn moved_from(&mut self, before: &ElementData) {
        if self.commune_code != before.commune_code && self.lat == before.lat {
            self.lat = None;
            self.lon = None;
        }
    }

    /// Position and geohash: the element's own, else its commune's (`lat`, `lon`).
    pub fn place(&mut self, lat: Option<f64>, lon: Option<f64>) -> Option<String> {
        if self.lat.is_none() {
            self.lat = lat;
            self.lon = lon;
        }
        let point = crate::geo::Point {
            lat: self.lat?,
            lon: self.lon?,
        };
        Some(point.geohash(crate::geo::STORED_PRECISION))
    }

    /// The folded tags, for exact, accent- and case-insensitive matching.
    pub fn tag_keys(&self) -> Vec<String> {
        self.tags.iter().map(|t| fold(t)).collect()
    }
}

fn invalid(field: &str) -> ApiError {
    ApiError::on_field(ErrorCode::InvalidField, field)
}

/// Trims; an empty string counts as absent; line ends written the Windows way (`\r\n`, or a
/// lone `\r`) become `\n`, and Windows-1252 read as Latin-1 is mended
/// (`text::mend_windows_1252`); checks the length in characters.
fn text(value: Option<String>, max: usize, field: &str) -> Result<Option<String>, ApiError> {
    let Some(value) = value else { return Ok(None) };
    let value = crate::text::mend_windows_1252(&value.replace("\r\n", "\n").replace('\r', "\n"));
    let value = value.trim().to_string();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max || value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(invalid(field));
    }
    Ok(Some(value))
}

fn one_of(
    value: Option<String>,
    allowed: &[&str],
    field: &str,
) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => Err(invalid(field)),
        other => Ok(other),
    }
}

fn time(value: Option<String>, field: &str) -> Result<Option<i64>, ApiError> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(v.trim())
                .map(|t| t.timestamp())
                .map_err(|_| invalid(field))
        })
        .transpose()
}

impl ElementInput {
    /// Whether the input sets who may edit or join (`access::Action::ChangeElementPolicy`).
    pub fn changes_policy(&self) -> bool {
        self.open_edition.is_some() || self.requires_approval.is_some()
    }

    /// The element after this input: a new one (`current` None) or an update of `current`.
    pub fn apply(self, current: Option<&ElementData>) -> Result<ElementData, ApiError> {
        let creating = current.is_none();
        let mut e = current.cloned().unwrap_or_default();

        match (self.kind.as_deref().map(Kind::parse), creating) {
            (Some(Some(kind)), true) => e.kind = Some(kind),
            (Some(Some(kind)), false) if Some(kind) == e.kind => {}
            (None, false) => {}
            _ => return Err(invalid("kind")),
        }
        let kind = e.kind();

        if let Some(name) = self.name {
            e.name = text(Some(name), MAX_NAME, "name")?.unwrap_or_default();
        }
        if e.name.chars().count() < 2 {
            return Err(invalid("name"));
        }
        e.type_ = one_of(merge(e.type_, self.type_), kind.types(), "type")?;
        if !kind.types().is_empty() && e.type_.is_none() {
            return Err(invalid("type"));
        }
        e.short_description = text(
            merge(e.short_description, self.short_description),
            MAX_SHORT_DESCRIPTION,
            "short_description",
        )?;
        e.description = text(
            merge(e.description, self.description),
            MAX_DESCRIPTION,
            "description",
        )?;
        if let Some(tags) = self.tags {
            e.tags = tags_of(tags)?;
        }

        let address = self.address.unwrap_or_default();
        if let Some(code) = address.commune_code {
            e.commune_code = code.trim().to_ascii_uppercase();
        }
        if crate::zone::ZoneId::parse(&format!("commune:{}", e.commune_code)).is_none() {
            return Err(invalid("address.commune_code"));
        }
        e.street = text(merge(e.street, address.street), 200, "address.street")?;
        e.postal_code = merge(e.postal_code, address.postal_code).map(|p| p.trim().to_string());
        if let Some(postal) = &e.postal_code
            && (postal.len() != 5 || !postal.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid("address.postal_code"));
        }

        e.lat = merge(e.lat, self.lat);
        e.lon = merge(e.lon, self.lon);
        match (e.lat, e.lon) {
            (Some(lat), Some(lon)) => {
                crate::geo::Point::new(lat, lon, if lat.abs() > 90.0 { "lat" } else { "lon" })?;
            }
            (None, None) => {}
            (None, Some(_)) => return Err(invalid("lat")),
            (Some(_), None) => return Err(invalid("lon")),
        }

        e.start = match self.start {
            None => e.start,
            Some(v) => time(v, "start")?,
        };
        e.end = match self.end {
            None => e.end,
            Some(v) => time(v, "end")?,
        };
        if let Some(all_day) = self.all_day {
            e.all_day = all_day;
        }
        if kind == Kind::Event {
            let start = e.start.ok_or_else(|| invalid("start"))?;
            if e.end.is_some_and(|end| end < start) {
                return Err(invalid("end"));
            }
        } else if e.start.is_some() || e.end.is_some() {
            let field = if kind == Kind::Project {
                None
            } else {
                Some("start")
            };
            if let Some(field) = field {
                return Err(invalid(field));
            }
        }

        e.stage = one_of(merge(e.stage, self.stage), &STAGES, "stage")?;
        if e.stage.is_some() && kind != Kind::Project {
            return Err(invalid("stage"));
        }
        e.section = one_of(merge(e.section, self.section), &SECTIONS, "section")?;
        e.price_cents = merge(e.price_cents, self.price_cents);
        e.currency = merge(e.currency, self.currency).map(|c| c.trim().to_ascii_uppercase());
        e.contact = text(merge(e.contact, self.contact), 200, "contact")?;
        if kind == Kind::Classified {
            if e.section.is_none() {
                return Err(invalid("section"));
            }
            if e.contact.is_none() {
                return Err(invalid("contact"));
            }
            if e.price_cents
                .is_some_and(|p| !(0..=100_000_000_000).contains(&p))
            {
                return Err(invalid("price_cents"));
            }
            let currency = e.currency.get_or_insert_with(|| "EUR".to_string());
            if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(invalid("currency"));
            }
        } else {
            for (present, field) in [
                (e.section.is_some(), "section"),
                (e.price_cents.is_some(), "price_cents"),
                (e.currency.is_some(), "currency"),
                (e.contact.is_some(), "contact"),
            ] {
                if present {
                    return Err(invalid(field));
                }
            }
        }
        e.category = text(merge(e.category, self.category), 80, "category")?;

        e.url = text(merge(e.url, self.url), 500, "url")?;
        if let Some(url) = &e.url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(invalid("url"));
        }
        e.email = merge(e.email, self.email)
            .map(|m| crate::account::normalize_email(&m))
            .transpose()?;
        e.phone = text(merge(e.phone, self.phone), 30, "phone")?;
        if let Some(phone) = &e.phone
            && !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +.-()".contains(c))
        {
            return Err(invalid("phone"));
        }
        if let Some(slots) = self.opening_hours {
            e.opening_hours = hours::check(slots.unwrap_or_default())?;
        }
        e.accessibility = text(
            merge(e.accessibility, self.accessibility),
            500,
            "accessibility",
        )?;
        if let Some(open) = self.open_edition {
            e.open_edition = open;
        }
        if let Some(approval) = self.requires_approval {
            e.requires_approval = approval;
        }
        Ok(e)
    }
}

fn tags_of(tags: Vec<String>) -> Result<Vec<String>, ApiError> {
    let mut kept: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().trim_start_matches('#').trim().to_string();
        let key = fold(&tag);
        if key.is_empty() || tag.chars().count() > MAX_TAG {
            return Err(invalid("tags"));
        }
        if !keys.contains(&key) {
            keys.push(key);
            kept.push(tag);
        }
    }
    if kept.len() > MAX_TAGS {
        return Err(invalid("tags"));
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    #[test]
    fn setting_open_edition_or_approval_is_a_change_of_policy_and_content_is_not() {
        let input = |json: &str| serde_json::from_str::<super::ElementInput>(json).unwrap();
        assert!(input(r#"{"open_edition": false}"#).changes_policy());
        assert!(input(r#"{"requires_approval": true}"#).changes_policy());
        assert!(!input(r#"{"name": "Le Vrac", "tags": ["vrac"]}"#).changes_policy());
    }

    use super::*;

    fn create(json: &str) -> Result<ElementData, ApiError> {
        serde_json::from_str::<ElementInput>(json)
            .unwrap()
            .apply(None)
    }

    fn field_of(json: &str) -> String {
        create(json).unwrap_err().field.unwrap_or_default()
    }

    const ORG: &str = r#""kind":"organization","name":"Épicerie du Vrac","type":"LocalBusiness","address":{"commune_code":"97415"}"#;

    #[test]
    fn moved_to_another_commune_with_its_old_position_it_takes_the_new_commune_s() {
        let mut before = create(&format!("{{{ORG}}}")).unwrap();
        before.lat = Some(-21.0);
        before.lon = Some(55.27);
        let edit = |json: &str| {
            let mut after = serde_json::from_str::<ElementInput>(json)
                .unwrap()
                .apply(Some(&before))
                .unwrap();
            after.moved_from(&before);
            (after.lat, after.lon)
        };
        let moved = r#"{"address":{"commune_code":"97416"}}"#;
        assert_eq!(
            edit(moved),
            (None, None),
            "the old commune's position is forgotten"
        );
        let placed = r#"{"address":{"commune_code":"97416"},"lat":-21.3,"lon":55.48}"#;
        assert_eq!(
            edit(placed),
            (Some(-21.3), Some(55.48)),
            "a new position is kept"
        );
        let renamed = r#"{"name":"Le Vrac"}"#;
        assert_eq!(
            edit(renamed),
            (Some(-21.0), Some(55.27)),
            "staying, it keeps its own"
        );
    }

    #[test]
    fn an_organization_needs_a_name_a_type_and_a_commune() {
        let e = create(&format!(
            r##"{{{ORG},"tags":["Épicerie","vrac","#Vrac"," épicerie "]}}"##
        ))
        .unwrap();
        assert_eq!(e.kind(), Kind::Organization);
        assert_eq!(e.name, "Épicerie du Vrac");
        assert_eq!(e.tags, ["Épicerie", "vrac"], "deduplicated by folded form");
        assert_eq!(e.tag_keys(), ["epicerie", "vrac"]);
        assert_eq!(e.commune_code, "97415");
        assert_eq!(
            field_of(r#"{"kind":"organization","name":"X y","address":{"commune_code":"97415"}}"#),
            "type"
        );
        assert_eq!(
            field_of(
                r#"{"kind":"organization","name":"Xy","type":"Shop","address":{"commune_code":"97415"}}"#
            ),
            "type"
        );
        assert_eq!(
            field_of(r#"{"kind":"organization","name":"Xy","type":"NGO"}"#),
            "address.commune_code"
        );
        assert_eq!(
            field_of(
                r#"{"kind":"organization","name":"X","type":"NGO","address":{"commune_code":"97415"}}"#
            ),
            "name"
        );
        assert_eq!(
            field_of(r#"{"kind":"person","name":"Xy","address":{"commune_code":"97415"}}"#),
            "kind"
        );
    }

    #[test]
    fn windows_line_ends_are_read_as_line_ends() {
        let e = create(&format!(
            r#"{{{ORG},"description":"Bon état.\r\nA venir chercher.\rMerci.\r\n"}}"#
        ))
        .unwrap();
        assert_eq!(
            e.description.as_deref(),
            Some("Bon état.\nA venir chercher.\nMerci.")
        );
        // Other control characters are still refused.
        assert_eq!(
            field_of(&format!(r#"{{{ORG},"description":"Bon\u0007état"}}"#)),
            "description"
        );
    }

    #[test]
    fn opening_hours_and_accessibility_are_checked_and_kept_on_update() {
        let e = create(&format!(
            r#"{{{ORG},"opening_hours":[{{"days":["friday","monday"],"opens":"8:30","closes":"12:00"}}],
                "accessibility":"Accès de plain-pied"}}"#
        ))
        .unwrap();
        assert_eq!(e.opening_hours[0].days, ["monday", "friday"]);
        assert_eq!(e.opening_hours[0].opens, "08:30");
        assert_eq!(e.accessibility.as_deref(), Some("Accès de plain-pied"));
        let renamed = serde_json::from_str::<ElementInput>(r#"{"name":"Épicerie du Vrac 2"}"#)
            .unwrap()
            .apply(Some(&e))
            .unwrap();
        assert_eq!(renamed.opening_hours, e.opening_hours, "absent: left alone");
        let cleared = serde_json::from_str::<ElementInput>(r#"{"opening_hours":null}"#)
            .unwrap()
            .apply(Some(&e))
            .unwrap();
        assert!(cleared.opening_hours.is_empty());
        assert_eq!(
            field_of(&format!(
                r#"{{{ORG},"opening_hours":[{{"days":["lundi"],"opens":"08:00","closes":"12:00"}}]}}"#
            )),
            "opening_hours"
        );
    }

    #[test]
    fn events_need_a_start_and_an_end_after_it() {
        let ev = r#""kind":"event","name":"Marché forain","type":"market","address":{"commune_code":"97415"}"#;
        let e = create(&format!(
            r#"{{{ev},"start":"2026-12-05T08:00:00+04:00","end":"2026-12-05T12:00:00+04:00"}}"#
        ))
        .unwrap();
        assert_eq!(e.start, Some(1_796_443_200)); // 04:00 UTC
        assert_eq!(field_of(&format!("{{{ev}}}")), "start");
        assert_eq!(field_of(&format!(r#"{{{ev},"start":"demain"}}"#)), "start");
        assert_eq!(
            field_of(&format!(
                r#"{{{ev},"start":"2026-12-05T08:00:00Z","end":"2026-12-04T08:00:00Z"}}"#
            )),
            "end"
        );
        assert_eq!(
            field_of(&format!(r#"{{{ORG},"start":"2026-12-05T08:00:00Z"}}"#)),
            "start"
        );
    }

    #[test]
    fn classifieds_need_a_section_and_a_contact_and_default_to_euros() {
        let ad = r#""kind":"classified","name":"Vélo à donner","address":{"commune_code":"97415"}"#;
        let e = create(&format!(
            r#"{{{ad},"section":"donation","contact":"06 12 34 56 78","price_cents":0}}"#
        ))
        .unwrap();
        assert_eq!(e.currency.as_deref(), Some("EUR"));
        assert_eq!(field_of(&format!(r#"{{{ad},"contact":"x"}}"#)), "section");
        assert_eq!(
            field_of(&format!(r#"{{{ad},"section":"donation"}}"#)),
            "contact"
        );
        assert_eq!(
            field_of(&format!(
                r#"{{{ad},"section":"donation","contact":"x","price_cents":-1}}"#
            )),
            "price_cents"
        );
        assert_eq!(
            field_of(&format!(r#"{{{ORG},"price_cents":100}}"#)),
            "price_cents"
        );
    }

    #[test]
    fn contact_fields_and_positions_are_checked() {
        assert_eq!(
            field_of(&format!(r#"{{{ORG},"url":"javascript:alert(1)"}}"#)),
            "url"
        );
        assert_eq!(
            field_of(&format!(r#"{{{ORG},"email":"pas une adresse"}}"#)),
            "email"
        );
        assert_eq!(
            field_of(&format!(r#"{{{ORG},"phone":"appelez-moi"}}"#)),
            "phone"
        );
        assert_eq!(field_of(&format!(r#"{{{ORG},"lat":-21.0}}"#)), "lon");
        assert_eq!(
            field_of(&format!(r#"{{{ORG},"lat":-121.0,"lon":55.0}}"#)),
            "lat"
        );
        assert_eq!(
            field_of(
                r#"{"kind":"organization","name":"Vrac","type":"NGO","address":{"commune_code":"97415","postal_code":"974"}}"#
            ),
            "address.postal_code"
        );
        let tags: Vec<String> = (0..21).map(|i| format!("tag{i}")).collect();
        assert_eq!(
            field_of(&format!(
                r#"{{{ORG},"tags":{}}}"#,
                serde_json::to_string(&tags).unwrap()
            )),
            "tags"
        );
        assert!(
            serde_json::from_str::<ElementInput>(r#"{"nom":"x"}"#).is_err(),
            "unknown fields refused"
        );
    }

    #[test]
    fn an_update_keeps_what_is_absent_clears_what_is_null_and_keeps_the_kind() {
        let current = create(&format!(
            r#"{{{ORG},"url":"https://vrac.re","tags":["vrac"]}}"#
        ))
        .unwrap();
        let patch = |json: &str| {
            serde_json::from_str::<ElementInput>(json)
                .unwrap()
                .apply(Some(&current))
        };
        let updated = patch(r#"{"name":"Épicerie du Vrac — Saint-Paul","url":null}"#).unwrap();
        assert_eq!(updated.name, "Épicerie du Vrac — Saint-Paul");
        assert_eq!(updated.url, None);
        assert_eq!(updated.tags, ["vrac"]);
        assert_eq!(updated.type_.as_deref(), Some("LocalBusiness"));
        assert_eq!(
            patch(r#"{"kind":"event"}"#).unwrap_err().field.as_deref(),
            Some("kind")
        );
        assert_eq!(
            patch(r#"{"type":null}"#).unwrap_err().field.as_deref(),
            Some("type")
        );
    }
}
