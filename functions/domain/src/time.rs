//! Times: Unix seconds inside, RFC 3339 UTC on the wire.

use chrono::{DateTime, SecondsFormat};

pub fn rfc3339(unix_secs: i64) -> String {
    DateTime::from_timestamp(unix_secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_with_a_z() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_305_600), "2026-11-22T00:00:00Z");
    }
}
