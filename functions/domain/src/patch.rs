//! Partial updates: in a JSON body, an absent field leaves a value alone and `null` clears it.
//! Fields declared `Option<Option<T>>` with `#[serde(default, deserialize_with = "present")]`
//! read absent as `None`, null as `Some(None)`, a value as `Some(Some(v))`.

use serde::{Deserialize, Deserializer};

pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Applies a patched field to a current value.
pub fn merge<T>(current: Option<T>, change: Option<Option<T>>) -> Option<T> {
    match change {
        None => current,
        Some(new) => new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "present")]
        name: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_are_three_answers() {
        let read = |json: &str| serde_json::from_str::<Body>(json).unwrap().name;
        assert_eq!(read("{}"), None);
        assert_eq!(read(r#"{"name":null}"#), Some(None));
        assert_eq!(read(r#"{"name":"x"}"#), Some(Some("x".into())));
        assert_eq!(merge(Some(1), None), Some(1));
        assert_eq!(merge(Some(1), Some(None)), None);
        assert_eq!(merge(Some(1), Some(Some(2))), Some(2));
    }
}
