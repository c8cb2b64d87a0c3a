//! Reading rows as the database gives them. SQLite has no booleans: a flag is stored as 0 or 1,
//! and rows decode it into a `bool` here, once, rather than compare integers where they are used.

use serde::de::{Deserializer, Error, Visitor};

/// `#[serde(deserialize_with = "crate::row::flag")]`: 0 is false, any other integer true (a
/// boolean is taken as it is).
pub fn flag<'de, D: Deserializer<'de>>(from: D) -> Result<bool, D::Error> {
    struct Flag;

    impl Visitor<'_> for Flag {
        type Value = bool;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a flag: 0 or 1")
        }

        fn visit_bool<E: Error>(self, value: bool) -> Result<bool, E> {
            Ok(value)
        }

        fn visit_i64<E: Error>(self, value: i64) -> Result<bool, E> {
            Ok(value != 0)
        }

        fn visit_u64<E: Error>(self, value: u64) -> Result<bool, E> {
            Ok(value != 0)
        }
    }

    from.deserialize_any(Flag)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Row {
        #[serde(deserialize_with = "super::flag")]
        on: bool,
    }

    #[test]
    fn a_flag_reads_from_sqlite_integers_or_booleans() {
        let read = |json: &str| serde_json::from_str::<Row>(json).map(|r| r.on);
        assert!(read(r#"{"on": 1}"#).unwrap());
        assert!(!read(r#"{"on": 0}"#).unwrap());
        assert!(read(r#"{"on": true}"#).unwrap());
        assert!(read(r#"{"on": "1"}"#).is_err(), "text is not a flag");
        assert!(read(r#"{"on": null}"#).is_err(), "nor is NULL");
    }
}
