//! Reading a JSON body into a typed request, with errors that name the faulty field. A number
//! without a fraction is an integer whatever its spelling (`1547.0`), as JSON Schema — and so
//! the OpenAPI document — reads it; serde alone would refuse it for an integer field.

use crate::error::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

/// `text` as a `T`: 400 `invalid_json` when it is not JSON, 400 `invalid_field` (naming the
/// field where serde does) when it does not fit.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let value: Value =
        serde_json::from_str(text).map_err(|_| ApiError::new(ErrorCode::InvalidJson))?;
    serde_json::from_value(integral(value)).map_err(|error| {
        match field_named_in(&error.to_string()) {
            Some(field) => ApiError::on_field(ErrorCode::InvalidField, field),
            None => ApiError::new(ErrorCode::InvalidField),
        }
    })
}

/// Every number with no fraction, within i64, as an integer.
fn integral(value: Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // Exactly representable integers only: |f| < 2^53.
            if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                Value::Number(Number::from(f as i64))
            } else {
                Value::Number(n)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(integral).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| (key, integral(value)))
                .collect(),
        ),
        other => other,
    }
}

/// serde names a field between backticks only in "missing field `email`", "unknown field `x`"
/// and "duplicate field `x`"; elsewhere the backticks hold a value ("invalid type: floating
/// point `2405.5`"), never to be reported as a field.
fn field_named_in(message: &str) -> Option<String> {
    let rest = ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|opening| {
            message
                .find(opening)
                .map(|at| &message[at + opening.len()..])
        })?;
    Some(rest[..rest.find('`')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Gift {
        amount_cents: i64,
        lat: Option<f64>,
        #[serde(default)]
        parts: Vec<i64>,
    }

    #[test]
    fn a_number_without_a_fraction_is_an_integer() {
        let gift: Gift =
            parse(r#"{"amount_cents": 1547.0, "lat": 45, "parts": [2.0, 3]}"#).unwrap();
        assert_eq!(
            gift,
            Gift {
                amount_cents: 1547,
                lat: Some(45.0),
                parts: vec![2, 3]
            }
        );
        let fraction = parse::<Gift>(r#"{"amount_cents": 1547.5}"#).unwrap_err();
        assert_eq!(
            (fraction.code, fraction.field),
            (ErrorCode::InvalidField, None)
        );
        assert!(parse::<Gift>(r#"{"amount_cents": 1e300}"#).is_err());
    }

    #[test]
    fn errors_name_the_field_never_a_value() {
        let missing = parse::<Gift>("{}").unwrap_err();
        assert_eq!(missing.field.as_deref(), Some("amount_cents"));
        let unknown = parse::<Gift>(r#"{"amount_cents": 1, "x": 2}"#).unwrap_err();
        assert_eq!(unknown.field.as_deref(), Some("x"));
        let typed = parse::<Gift>(r#"{"amount_cents": "2405.0"}"#).unwrap_err();
        assert_eq!(typed.field, None);
        assert_eq!(parse::<Gift>("{").unwrap_err().code, ErrorCode::InvalidJson);
    }
}
