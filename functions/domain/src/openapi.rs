//! The OpenAPI 3.1 document served at `GET /api/openapi.json`. It grows with every endpoint;
//! the end-to-end tests call each documented path against the built worker.

pub const DOCUMENT: &str = include_str!("../openapi.json");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::Value;

    fn document() -> Value {
        serde_json::from_str(DOCUMENT).expect("openapi.json is valid JSON")
    }

    #[test]
    fn is_openapi_3_1_with_every_path_under_api() {
        let doc = document();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1."));
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.contains_key("/api/health"));
        assert!(paths.contains_key("/api/openapi.json"));
        for (path, item) in paths {
            assert!(path.starts_with("/api/"), "{path}");
            for (method, op) in item.as_object().unwrap() {
                assert!(
                    op["responses"].is_object(),
                    "{method} {path} has no responses"
                );
                assert!(op["summary"].is_string(), "{method} {path} has no summary");
            }
        }
    }

    #[test]
    fn documents_every_error_code() {
        let doc = document();
        let codes: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]
            ["properties"]["code"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for code in ErrorCode::ALL {
            assert!(codes.contains(&code.code()), "{} undocumented", code.code());
        }
    }
}
