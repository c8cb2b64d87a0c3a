//! Communecter's values as its PHP and MongoDB wrote them: ids as `{"$id"}`, `{"$oid"}` or
//! strings; dates as `{"sec", "usec"}`, `{"$date"}`, ISO strings with `+0000` offsets or Unix
//! seconds; numbers as strings; positions as GeoCoordinates (strings), GeoJSON points in `geo`
//! or `geoPosition` (longitude first, numbers or strings).

use serde_json::Value;

/// Text of a string or a number; None when empty.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number, or a string holding one (`"55.27"`, `"-21.28148200"`).
pub fn number(value: &Value) -> Option<f64> {
    value
        .as_f64()
        .or_else(|| value.as_str()?.trim().replace(',', ".").parse().ok())
        .filter(|n: &f64| n.is_finite())
}

/// An id: `{"$id": …}` (PHP), `{"$oid": …}` (mongoexport), or the string itself.
pub fn id(value: &Value) -> Option<String> {
    text(&value["$id"])
        .or_else(|| text(&value["$oid"]))
        .or_else(|| text(value))
}

/// A date as RFC 3339: MongoDate `{"sec"}`, `{"$date": "…"}` or `{"$date": {"$numberLong"}}`
/// (milliseconds), Unix seconds, or an ISO string (`+0000` offsets get their colon; a date
/// without a time is the day's start, UTC).
pub fn date(value: &Value) -> Option<String> {
    let from_unix =
        |seconds: i64| chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.to_rfc3339());
    if let Some(seconds) = value["sec"].as_i64() {
        return from_unix(seconds);
    }
    if let Some(millis) = text(&value["$date"]["$numberLong"]).and_then(|m| m.parse::<i64>().ok()) {
        return from_unix(millis.div_euclid(1000));
    }
    if value["$date"].is_string() {
        return date(&value["$date"]);
    }
    if let Some(seconds) = value.as_i64() {
        return from_unix(seconds);
    }
    let raw = value.as_str()?.trim();
    if chrono::DateTime::parse_from_rfc3339(raw).is_ok() {
        return Some(raw.to_string());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(t) = chrono::DateTime::parse_from_str(raw, format) {
            return Some(t.to_rfc3339());
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(raw, format) {
            return Some(t.and_utc().to_rfc3339());
        }
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().to_rfc3339())
}

/// Text a record flags as HTML (`descriptionHTML`) as plain text: paragraphs and line breaks
/// kept as line ends, other tags dropped, the common entities read.
pub fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        if tag.starts_with("br")
            || tag.starts_with("/p")
            || tag.starts_with("/li")
            || tag.starts_with("/div")
        {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let out = [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(out, |text, (entity, said)| text.replace(entity, said));
    out.trim().to_string()
}

/// `true`, or the strings `"true"` / `"1"`.
pub fn truth(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(matches!(s.trim(), "true" | "1")),
        Value::Number(n) => Some(n.as_i64() == Some(1)),
        _ => None,
    }
}

/// The (lat, lon) a record holds: `geo` as GeoCoordinates or as a GeoJSON point, else
/// `geoPosition` (longitude first).
pub fn position(record: &Value) -> Option<(f64, f64)> {
    let geo = &record["geo"];
    let coordinates = |point: &Value| -> Option<(f64, f64)> {
        let c = point["coordinates"].as_array()?;
        Some((number(c.get(1)?)?, number(c.first()?)?))
    };
    let found = match (number(&geo["latitude"]), number(&geo["longitude"])) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => coordinates(geo).or_else(|| coordinates(&record["geoPosition"])),
    };
    found.filter(|(lat, lon)| lat.abs() <= 90.0 && lon.abs() <= 180.0 && (*lat, *lon) != (0.0, 0.0))
}

/// A postal code as a string of five digits: old records lost a leading zero (`"1000"`).
pub fn postal_code(value: &Value) -> Option<String> {
    let code = text(value)?;
    match code.len() {
        4 if code.bytes().all(|b| b.is_ascii_digit()) => Some(format!("0{code}")),
        _ => Some(code),
    }
}

/// The first phone number of `{"mobile": […], "fixe": […]}`, or a plain string.
pub fn phone(value: &Value) -> Option<String> {
    if let Some(number) = text(value) {
        return Some(number);
    }
    ["mobile", "fixe"]
        .iter()
        .find_map(|kind| match &value[kind] {
            Value::Array(list) => list.iter().find_map(text),
            Value::Object(map) => map.values().find_map(text),
            other => text(other),
        })
}

/// Tags as a list (empty ones dropped), a comma-separated string, or nothing.
pub fn tags(value: &Value) -> Vec<String> {
    match value {
        Value::Array(list) => list.iter().filter_map(text).collect(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_come_in_three_shapes() {
        assert_eq!(id(&json!({"$id": "5ab0"})).as_deref(), Some("5ab0"));
        assert_eq!(id(&json!({"$oid": "5ab1"})).as_deref(), Some("5ab1"));
        assert_eq!(id(&json!("5ab2")).as_deref(), Some("5ab2"));
        assert_eq!(id(&json!(null)), None);
    }

    #[test]
    fn dates_become_rfc_3339_whatever_wrote_them() {
        for (value, expected) in [
            (
                json!({"sec": 1_521_544_904, "usec": 0}),
                "2018-03-20T11:21:44+00:00",
            ),
            (
                json!({"$date": "2018-03-20T11:21:44.000Z"}),
                "2018-03-20T11:21:44.000Z",
            ),
            (
                json!({"$date": {"$numberLong": "1521544904000"}}),
                "2018-03-20T11:21:44+00:00",
            ),
            (json!(1_521_544_904), "2018-03-20T11:21:44+00:00"),
            (
                json!("2018-03-01T10:00:00+0000"),
                "2018-03-01T10:00:00+00:00",
            ),
            (
                json!("2020-10-19T12:57:50+04:00"),
                "2020-10-19T12:57:50+04:00",
            ),
            (json!("2018-03-01 10:00:00"), "2018-03-01T10:00:00+00:00"),
            (json!("2018-03-01"), "2018-03-01T00:00:00+00:00"),
        ] {
            assert_eq!(date(&value).as_deref(), Some(expected), "{value}");
        }
        assert_eq!(date(&json!("bientôt")), None);
    }

    #[test]
    fn positions_come_as_strings_points_or_geo_positions() {
        let g = |v: Value| position(&v);
        assert_eq!(
            g(
                json!({"geo": {"@type": "GeoCoordinates", "latitude": "-21.28148200", "longitude": "55.415574"}})
            ),
            Some((-21.281482, 55.415574))
        );
        assert_eq!(
            g(json!({"geo": {"type": "Point", "coordinates": ["55.44", "-21.25"]}})),
            Some((-21.25, 55.44))
        );
        assert_eq!(
            g(
                json!({"geoPosition": {"type": "Point", "float": true, "coordinates": [4.85, 45.76]}})
            ),
            Some((45.76, 4.85))
        );
        assert_eq!(g(json!({"geo": {"latitude": "", "longitude": ""}})), None);
        assert_eq!(
            g(json!({"geo": {"latitude": 0, "longitude": 0}})),
            None,
            "no position, not the Gulf of Guinea"
        );
    }

    #[test]
    fn small_values_read_the_ways_they_were_written() {
        assert_eq!(postal_code(&json!("1000")).as_deref(), Some("01000"));
        assert_eq!(postal_code(&json!(97450)).as_deref(), Some("97450"));
        assert_eq!(
            phone(&json!({"fixe": [], "mobile": ["06 12 34 56 78"]})).as_deref(),
            Some("06 12 34 56 78")
        );
        assert_eq!(
            phone(&json!({"fixe": {"0": "04 78 00 00 00"}})).as_deref(),
            Some("04 78 00 00 00")
        );
        assert_eq!(tags(&json!(["", "Jardin", " vélo "])), ["Jardin", "vélo"]);
        assert_eq!(tags(&json!("jardin, vélo")), ["jardin", "vélo"]);
        assert!(tags(&json!("")).is_empty());
        assert_eq!(truth(&json!("true")), Some(true));
        assert_eq!(number(&json!("55,27")), Some(55.27));
        assert_eq!(
            plain(
                "<p>Chaque mois, <strong>ramassage</strong>.</p><p>Outils&nbsp;fournis &amp; gants.<br/>Merci</p>"
            ),
            "Chaque mois, ramassage.\nOutils fournis & gants.\nMerci"
        );
    }
}
