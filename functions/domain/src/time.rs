//! Times: Unix seconds inside, RFC 3339 UTC on the wire.

use chrono::{DateTime, SecondsFormat};
use serde::{Deserialize, Deserializer};

pub fn rfc3339(unix_secs: i64) -> String {
    DateTime::from_timestamp(unix_secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Unix seconds from an RFC 3339 text (any offset), or None.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.timestamp())
}

/// An optional instant on the wire: RFC 3339 (the contract), or Unix seconds (taken too, for
/// scripts). A text that is not a time fails the body, and the caller names the field.
pub fn instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Text(String),
        Seconds(i64),
    }
    match Option::<Wire>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Wire::Seconds(s)) => Ok(Some(s)),
        Some(Wire::Text(t)) => parse_rfc3339(&t)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_rfc3339_with_any_offset_and_seconds() {
        #[derive(serde::Deserialize)]
        struct At {
            #[serde(default, deserialize_with = "super::instant")]
            at: Option<i64>,
        }
        let at = |json: &str| serde_json::from_str::<At>(json).map(|a| a.at).ok();
        assert_eq!(
            at(r#"{"at":"2026-11-22T00:00:00Z"}"#),
            Some(Some(1_795_305_600))
        );
        assert_eq!(
            at(r#"{"at":"2026-11-22T01:00:00+01:00"}"#),
            Some(Some(1_795_305_600))
        );
        assert_eq!(at(r#"{"at":1795305600}"#), Some(Some(1_795_305_600)));
        assert_eq!(at(r#"{}"#), Some(None));
        assert_eq!(at(r#"{"at":"demain"}"#), None);
    }

    #[test]
    fn formats_utc_with_a_z() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_305_600), "2026-11-22T00:00:00Z");
    }
}
