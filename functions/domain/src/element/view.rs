//! Elements as the database returns them and as the API shows them.

use super::Kind;
use super::hours::Slot;
use super::input::ElementData;
use crate::media::PictureView;
use crate::time::rfc3339;
use serde::{Deserialize, Serialize};

/// One element row, with its commune's name and its link counts.
#[derive(Debug, Clone, Deserialize)]
pub struct ElementRow {
    pub id: String,
    pub slug: String,
    pub kind: Kind,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: String,
    pub short_description: Option<String>,
    pub description: Option<String>,
    pub tags: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub commune_code: String,
    pub commune_name: Option<String>,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub start_at: Option<i64>,
    pub end_at: Option<i64>,
    #[serde(deserialize_with = "crate::row::flag")]
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
    /// JSON (`hours::Slot`s), or NULL.
    #[serde(default)]
    pub opening_hours: Option<String>,
    #[serde(default)]
    pub accessibility: Option<String>,
    #[serde(default)]
    pub source_name: Option<String>,
    #[serde(default)]
    pub source_url: Option<String>,
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(deserialize_with = "crate::row::flag")]
    pub open_edition: bool,
    #[serde(deserialize_with = "crate::row::flag")]
    pub requires_approval: bool,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(default)]
    pub followers: i64,
    #[serde(default)]
    pub members: i64,
    /// Its pictures' rows, as a JSON array (`domain::media::PictureRow`s).
    #[serde(default)]
    pub pictures: Option<String>,
}

impl ElementRow {
    /// Its pictures: the logo, the banner and the photos.
    pub fn gallery(&self) -> crate::media::Gallery {
        let rows: Vec<crate::media::PictureRow> = self
            .pictures
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default();
        crate::media::Gallery::of(&rows)
    }

    pub fn tags(&self) -> Vec<String> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }

    pub fn opening_hours(&self) -> Vec<Slot> {
        self.opening_hours
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    }

    /// The element's own fields, for an update to start from.
    pub fn data(&self) -> ElementData {
        ElementData {
            kind: Some(self.kind),
            type_: self.type_.clone(),
            name: self.name.clone(),
            short_description: self.short_description.clone(),
            description: self.description.clone(),
            tags: self.tags(),
            street: self.street.clone(),
            postal_code: self.postal_code.clone(),
            commune_code: self.commune_code.clone(),
            lat: self.lat,
            lon: self.lon,
            start: self.start_at,
            end: self.end_at,
            all_day: self.all_day,
            stage: self.stage.clone(),
            section: self.section.clone(),
            price_cents: self.price_cents,
            currency: self.currency.clone(),
            contact: self.contact.clone(),
            category: self.category.clone(),
            url: self.url.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            opening_hours: self.opening_hours(),
            accessibility: self.accessibility.clone(),
            open_edition: self.open_edition,
            requires_approval: self.requires_approval,
        }
    }

    pub fn view(&self) -> ElementView {
        let gallery = self.gallery();
        ElementView {
            id: self.id.clone(),
            slug: self.slug.clone(),
            kind: self.kind,
            type_: self.type_.clone(),
            name: self.name.clone(),
            short_description: self.short_description.clone(),
            description: self.description.clone(),
            tags: self.tags(),
            address: Address {
                street: self.street.clone(),
                postal_code: self.postal_code.clone(),
                commune_code: self.commune_code.clone(),
                locality: self.commune_name.clone(),
            },
            departement: self.departement.clone(),
            region: self.region.clone(),
            lat: self.lat,
            lon: self.lon,
            start: self.start_at.map(rfc3339),
            end: self.end_at.map(rfc3339),
            all_day: self.all_day,
            stage: self.stage.clone(),
            section: self.section.clone(),
            price_cents: self.price_cents,
            currency: self.currency.clone(),
            contact: self.contact.clone(),
            category: self.category.clone(),
            url: self.url.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            opening_hours: self.opening_hours(),
            accessibility: self.accessibility.clone(),
            source: self.source_name.as_ref().map(|name| Source {
                name: name.clone(),
                url: self.source_url.clone(),
                licence: self.licence.clone(),
            }),
            open_edition: self.open_edition,
            requires_approval: self.requires_approval,
            links: Links {
                followers: self.followers,
                members: self.members,
            },
            page: format!("/e/{}/", self.slug),
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            logo: gallery.logo,
            banner: gallery.banner,
            photos: gallery.photos,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Address {
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub commune_code: String,
    pub locality: Option<String>,
}

/// Where an imported element's data comes from, and its licence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
    pub licence: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Links {
    pub followers: i64,
    /// Members, contributors or attendees, depending on the kind (pending ones excluded).
    pub members: i64,
}

/// `GET /api/elements/{id}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ElementView {
    pub id: String,
    pub slug: String,
    pub kind: Kind,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: String,
    pub short_description: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub address: Address,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub all_day: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opening_hours: Vec<Slot>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessibility: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    pub open_edition: bool,
    pub requires_approval: bool,
    pub links: Links,
    /// The element's page on the site.
    pub page: String,
    pub created_at: String,
    pub updated_at: String,
    /// Its pictures (`domain::media::Gallery`), each of the first two null when none.
    pub logo: Option<PictureView>,
    pub banner: Option<PictureView>,
    pub photos: Vec<PictureView>,
}

impl ElementView {
    /// What a page shows of the element, in a few characters: a page compares it with the
    /// current one to tell whether it is out of date (even within the same second).
    /// What shows it best, best first (JSON-LD's `image`, Open Graph): its banner (an event's
    /// poster), its photos, then its logo.
    pub fn images(&self) -> Vec<&PictureView> {
        let mut all: Vec<&PictureView> = self.banner.iter().collect();
        all.extend(self.photos.iter());
        all.extend(self.logo.iter());
        all
    }

    pub fn version(&self) -> String {
        let shown = serde_json::to_string(self).unwrap_or_default();
        crate::secret::hash(&shown)[..16].to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn row() -> ElementRow {
        serde_json::from_value(serde_json::json!({
            "id": "e_1", "slug": "vrac", "kind": "organization", "type": "LocalBusiness",
            "name": "Vrac", "short_description": null, "description": null,
            "tags": "[\"Épicerie\",\"vrac\"]", "street": null, "postal_code": "97434",
            "commune_code": "97415", "commune_name": "Saint-Paul", "departement": "974",
            "region": "04", "lat": -21.0, "lon": 55.27, "start_at": null, "end_at": null,
            "all_day": 0, "stage": null, "section": null, "price_cents": null, "currency": null,
            "contact": null, "category": null, "url": null, "email": null, "phone": null,
            "open_edition": 1, "requires_approval": 0, "created_at": 0, "updated_at": 60,
            "followers": 2, "members": 1
        }))
        .unwrap()
    }

    #[test]
    fn the_view_shows_address_links_and_page() {
        let view = serde_json::to_value(row().view()).unwrap();
        assert_eq!(view["type"], "LocalBusiness");
        assert_eq!(view["tags"], serde_json::json!(["Épicerie", "vrac"]));
        assert_eq!(view["address"]["locality"], "Saint-Paul");
        assert_eq!(view["links"]["followers"], 2);
        assert_eq!(view["page"], "/e/vrac/");
        assert_eq!(view["updated_at"], "1970-01-01T00:01:00Z");
        assert!(view.get("start").is_none() && view.get("price_cents").is_none());
    }

    #[test]
    fn the_version_changes_with_anything_the_page_shows() {
        let view = row().view();
        let mut followed = row();
        followed.followers += 1;
        let mut renamed = row();
        renamed.name.push('!');
        assert_eq!(view.version(), row().view().version());
        assert_ne!(view.version(), followed.view().version());
        assert_ne!(view.version(), renamed.view().version());
    }

    #[test]
    fn the_stored_row_gives_back_the_same_data() {
        let data = row().data();
        assert_eq!(data.kind(), Kind::Organization);
        assert!(data.open_edition);
        assert_eq!(data.tags, ["Épicerie", "vrac"]);
    }
}
