//! A person's profile: what they may change, and what others may see.

use crate::error::{ApiError, ErrorCode};
use crate::zone::{ZoneId, ZoneKind};
use serde::Deserialize;

/// Fields a person may choose to show publicly.
pub const PUBLIC_FIELDS: [&str; 2] = ["display_name", "home_scope"];
pub const MAX_DISPLAY_NAME: usize = 80;

/// A `PATCH /api/me` body. For the optional fields, absent leaves them and `null` clears them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[serde(default, deserialize_with = "crate::patch::present")]
    pub display_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::patch::present")]
    pub home_scope: Option<Option<String>>,
    pub public_fields: Option<Vec<String>>,
    /// Mail cadences by kind (`domain::notification::Preferences::changed` reads them).
    #[serde(default)]
    pub notifications: Option<serde_json::Value>,
}

/// The profile as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    pub display_name: Option<String>,
    pub home_scope: Option<String>,
    pub public_fields: Vec<String>,
}

impl ProfilePatch {
    /// The profile after the change, every field checked.
    pub fn apply(self, mut profile: Profile) -> Result<Profile, ApiError> {
        if let Some(name) = self.display_name {
            profile.display_name = name.map(display_name).transpose()?;
        }
        if let Some(scope) = self.home_scope {
            profile.home_scope = scope.map(|s| home_scope(&s)).transpose()?;
        }
        if let Some(fields) = self.public_fields {
            let mut checked = Vec::new();
            for field in fields {
                if !PUBLIC_FIELDS.contains(&field.as_str()) {
                    return Err(ApiError::on_field(ErrorCode::InvalidField, "public_fields"));
                }
                if !checked.contains(&field) {
                    checked.push(field);
                }
            }
            profile.public_fields = checked;
        }
        Ok(profile)
    }
}

fn display_name(name: String) -> Result<String, ApiError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let count = name.chars().count();
    if count == 0 || count > MAX_DISPLAY_NAME || name.chars().any(char::is_control) {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "display_name"));
    }
    Ok(name)
}

/// A home scope ("communexion") is a commune or a postal code.
fn home_scope(scope: &str) -> Result<String, ApiError> {
    match ZoneId::parse(scope) {
        Some(zone) if matches!(zone.kind, ZoneKind::Commune | ZoneKind::Postal) => {
            Ok(zone.as_string())
        }
        _ => Err(ApiError::on_field(ErrorCode::InvalidField, "home_scope")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> ProfilePatch {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn sets_and_clears_fields_and_leaves_absent_ones() {
        let before = Profile {
            display_name: Some("Ancien".into()),
            home_scope: Some("postal:97434".into()),
            public_fields: vec![],
        };
        let after = patch(r#"{"display_name":"  Camille   Martin ","public_fields":["display_name","display_name"]}"#)
            .apply(before.clone())
            .unwrap();
        assert_eq!(after.display_name.as_deref(), Some("Camille Martin"));
        assert_eq!(after.home_scope, before.home_scope);
        assert_eq!(after.public_fields, ["display_name"]);

        let cleared = patch(r#"{"home_scope":null}"#).apply(after).unwrap();
        assert_eq!(cleared.home_scope, None);
    }

    #[test]
    fn home_scope_is_a_commune_or_a_postal_code() {
        let set = |scope: &str| {
            patch(&format!(r#"{{"home_scope":"{scope}"}}"#)).apply(Profile::default())
        };
        assert_eq!(
            set("commune:97415").unwrap().home_scope.as_deref(),
            Some("commune:97415")
        );
        assert_eq!(
            set("postal:97434").unwrap().home_scope.as_deref(),
            Some("postal:97434")
        );
        for bad in ["departement:974", "region:04", "Saint-Paul", "commune:123"] {
            let error = set(bad).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("home_scope"), "{bad}");
        }
    }

    #[test]
    fn refuses_bad_names_fields_and_unknown_keys() {
        let long = "x".repeat(MAX_DISPLAY_NAME + 1);
        for json in [
            r#"{"display_name":"   "}"#.to_string(),
            format!(r#"{{"display_name":"{long}"}}"#),
            r#"{"public_fields":["email"]}"#.to_string(),
        ] {
            assert!(patch(&json).apply(Profile::default()).is_err(), "{json}");
        }
        assert!(serde_json::from_str::<ProfilePatch>(r#"{"email":"x@y.fr"}"#).is_err());
    }
}

/// A person as the database holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub profile: Profile,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `GET /api/me`: everything about the signed-in person, for their own eyes.
#[derive(Debug, serde::Serialize)]
pub struct MeView<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub display_name: Option<&'a str>,
    pub home_scope: Option<&'a str>,
    pub public_fields: &'a [String],
    pub is_instance_admin: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl Person {
    pub fn me_view(&self, is_instance_admin: bool) -> MeView<'_> {
        MeView {
            id: &self.id,
            email: &self.email,
            display_name: self.profile.display_name.as_deref(),
            home_scope: self.profile.home_scope.as_deref(),
            public_fields: &self.profile.public_fields,
            is_instance_admin,
            created_at: crate::time::rfc3339(self.created_at),
            updated_at: crate::time::rfc3339(self.updated_at),
        }
    }
}

/// Reads the stored list of public fields, ignoring anything no longer allowed.
pub fn parse_public_fields(stored: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(stored)
        .unwrap_or_default()
        .into_iter()
        .filter(|f| PUBLIC_FIELDS.contains(&f.as_str()))
        .collect()
}

#[cfg(test)]
mod view_tests {
    use super::*;

    #[test]
    fn me_view_shows_the_profile_and_times_in_rfc3339() {
        let person = Person {
            id: "p1".into(),
            email: "a@b.fr".into(),
            profile: Profile {
                display_name: Some("Camille".into()),
                home_scope: None,
                public_fields: parse_public_fields(r#"["display_name","email"]"#),
            },
            created_at: 0,
            updated_at: 60,
        };
        let value = serde_json::to_value(person.me_view(true)).unwrap();
        assert_eq!(value["display_name"], "Camille");
        assert_eq!(value["home_scope"], serde_json::Value::Null);
        assert_eq!(value["public_fields"], serde_json::json!(["display_name"]));
        assert_eq!(value["is_instance_admin"], true);
        assert_eq!(value["updated_at"], "1970-01-01T00:01:00Z");
    }
}
