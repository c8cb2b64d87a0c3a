//! Local time for people: pages show an event in the time of the place where it happens.
//! Metropolitan France follows Europe/Paris (UTC+1, and UTC+2 from the last Sunday of March
//! to the last Sunday of October, switching at 01:00 UTC); the overseas départements keep one
//! offset all year. A rule this small does not need a time-zone database in the worker.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};

/// The offset from UTC, in seconds, of a département at an instant.
pub fn offset_secs(departement: Option<&str>, utc: i64) -> i64 {
    const HOUR: i64 = 3600;
    match departement {
        Some("971") | Some("972") => -4 * HOUR, // Guadeloupe, Martinique
        Some("973") => -3 * HOUR,               // Guyane
        Some("974") => 4 * HOUR,                // La Réunion
        Some("976") => 3 * HOUR,                // Mayotte
        _ => {
            let year = DateTime::from_timestamp(utc, 0).map_or(1970, |t| t.year());
            let (start, end) = (last_sunday(year, 3), last_sunday(year, 10));
            if utc >= start && utc < end {
                2 * HOUR
            } else {
                HOUR
            }
        }
    }
}

/// 01:00 UTC on the last Sunday of a month.
fn last_sunday(year: i32, month: u32) -> i64 {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or_default();
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap_or_default())
        .timestamp()
}

/// An RFC 3339 time moved to the département's local time, with its offset (`+04:00`).
pub fn local_rfc3339(departement: Option<&str>, rfc3339: &str) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_string();
    };
    let offset = offset_secs(departement, t.timestamp());
    match chrono::FixedOffset::east_opt(offset as i32) {
        Some(zone) => t.with_timezone(&zone).to_rfc3339(),
        None => rfc3339.to_string(),
    }
}

/// A local date and time as a form's `datetime-local` gives it (`2026-12-08T18:00`, seconds
/// optional), read in the département's time, as Unix seconds; None when it is not one.
pub fn from_local(departement: Option<&str>, text: &str) -> Option<i64> {
    let text = text.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let as_utc = naive.and_utc().timestamp();
    // The offset in force an offset earlier is the one in force then, but at the switches.
    let first = as_utc - offset_secs(departement, as_utc);
    Some(as_utc - offset_secs(departement, first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forms_local_time_is_read_in_the_places_time() {
        let paris_winter = from_local(None, "2026-12-08T18:00").unwrap();
        assert_eq!(crate::time::rfc3339(paris_winter), "2026-12-08T17:00:00Z");
        let paris_summer = from_local(None, "2026-07-14T10:30:00").unwrap();
        assert_eq!(crate::time::rfc3339(paris_summer), "2026-07-14T08:30:00Z");
        let reunion = from_local(Some("974"), "2026-12-08T18:00").unwrap();
        assert_eq!(crate::time::rfc3339(reunion), "2026-12-08T14:00:00Z");
        assert_eq!(from_local(None, "demain"), None);
        assert_eq!(from_local(None, ""), None);
    }

    fn at(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn overseas_keeps_one_offset() {
        assert_eq!(
            offset_secs(Some("974"), at("2026-07-01T00:00:00Z")),
            4 * 3600
        );
        assert_eq!(
            offset_secs(Some("974"), at("2026-01-01T00:00:00Z")),
            4 * 3600
        );
        assert_eq!(offset_secs(Some("973"), 0), -3 * 3600);
    }

    #[test]
    fn metropolitan_france_switches_on_the_last_sundays_at_one_utc() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(offset_secs(Some("69"), at("2026-03-29T00:59:59Z")), 3600);
        assert_eq!(offset_secs(Some("69"), at("2026-03-29T01:00:00Z")), 7200);
        assert_eq!(offset_secs(Some("75"), at("2026-10-25T00:59:59Z")), 7200);
        assert_eq!(offset_secs(Some("75"), at("2026-10-25T01:00:00Z")), 3600);
        assert_eq!(offset_secs(None, at("2026-12-20T08:00:00Z")), 3600);
    }

    #[test]
    fn times_move_to_local_with_their_offset() {
        assert_eq!(
            local_rfc3339(Some("974"), "2026-12-20T04:00:00Z"),
            "2026-12-20T08:00:00+04:00"
        );
        assert_eq!(
            local_rfc3339(Some("69"), "2026-07-14T20:00:00Z"),
            "2026-07-14T22:00:00+02:00"
        );
        assert_eq!(local_rfc3339(Some("69"), "pas une date"), "pas une date");
    }
}
