//! iCalendar (RFC 5545) for the agenda: one VEVENT per event, times in UTC. Escaping and line
//! folding are the `ics` crate's.

use crate::search::Item;
use ics::properties::{Categories, DtEnd, DtStart, Geo, Location, Summary, URL};
use ics::{Event, ICalendar, escape_text};

/// `20261208T170000Z` from an RFC 3339 time, or None.
fn ical_time(rfc3339: &str) -> Option<String> {
    let seconds = crate::time::parse_rfc3339(rfc3339)?;
    let utc = chrono::DateTime::from_timestamp(seconds, 0)?;
    Some(utc.format("%Y%m%dT%H%M%SZ").to_string())
}

/// The calendar of the events among `items` (others, or events without a start, are left out);
/// `host` names the UIDs' domain, `now` is the stamp.
pub fn calendar(items: &[Item], site: &str, now: i64) -> String {
    let host = site.split("://").nth(1).unwrap_or(site);
    let stamp = ical_time(&crate::time::rfc3339(now)).unwrap_or_default();
    let mut calendar = ICalendar::new("2.0", "-//Communs//Agenda//FR");
    for item in items.iter().filter(|i| i.kind == "event") {
        let Some(start) = item.start.as_deref().and_then(ical_time) else {
            continue;
        };
        let mut event = Event::new(format!("{}@{host}", item.id), stamp.clone());
        event.push(DtStart::new(start));
        if let Some(end) = item.end.as_deref().and_then(ical_time) {
            event.push(DtEnd::new(end));
        }
        event.push(Summary::new(escape_text(item.name.clone())));
        let place = match &item.commune.name {
            Some(name) => format!("{name} ({})", item.commune.code),
            None => item.commune.code.clone(),
        };
        event.push(Location::new(escape_text(place)));
        if let (Some(lat), Some(lon)) = (item.lat, item.lon) {
            event.push(Geo::new(format!("{lat};{lon}")));
        }
        if !item.tags.is_empty() {
            let tags: Vec<String> = item
                .tags
                .iter()
                .map(|t| escape_text(t.clone()).into_owned())
                .collect();
            event.push(Categories::new(tags.join(",")));
        }
        event.push(URL::new(format!("{site}/e/{}/", item.slug)));
        calendar.add_event(event);
    }
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = calendar.write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_become_vevents_escaped_and_folded() {
        let mut event = super::super::sample(Some(-21.01));
        event.kind = "event".into();
        event.name = "Fête du jardin; apportez vos graines, et vos outils".into();
        event.start = Some("2026-12-08T14:00:00Z".into());
        event.end = Some("2026-12-08T18:00:00Z".into());
        let organization = super::super::sample(None);
        let text = calendar(
            &[event, organization],
            "https://communs.example",
            1_795_305_600,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1, "only events");
        assert!(text.contains("UID:e_1@communs.example\r\n"));
        assert!(text.contains("DTSTAMP:20261122T000000Z\r\n"));
        assert!(text.contains("DTSTART:20261208T140000Z\r\n"));
        assert!(text.contains("SUMMARY:Fête du jardin\\; apportez vos graines\\, et vos outils"));
        assert!(text.contains("GEO:-21.01;55.27\r\n"));
        assert!(text.contains("CATEGORIES:jardin,lien\\, social\r\n"));
        assert!(
            text.lines().all(|l| l.len() <= 75),
            "lines are folded at 75 octets"
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
