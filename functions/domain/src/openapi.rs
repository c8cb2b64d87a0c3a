//! The OpenAPI 3.1 document served at `GET /api/openapi.json`. It grows with every endpoint;
//! the end-to-end tests call each documented path against the built worker.

/// Minified from `openapi.json` by the build script, without the development routes
/// (`/api/dev/`): what production builds serve.
pub const DOCUMENT: &str = include_str!(concat!(env!("OUT_DIR"), "/openapi.min.json"));

/// The whole document, development routes included: what development builds serve.
pub const DEVELOPMENT_DOCUMENT: &str =
    include_str!(concat!(env!("OUT_DIR"), "/openapi.dev.min.json"));

/// The methods a path answers, as an `Allow` header says them (RFC 9110: a 405 names them),
/// from `document`'s paths; None for a path it does not know. A documented path's last
/// segment may carry a format's extension (`/api/elements/{id}` answers `…/e_1.ics`).
pub fn allowed(document: &str, path: &str) -> Option<String> {
    let document: serde_json::Value = serde_json::from_str(document).ok()?;
    let asked: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let (_, item) = document["paths"]
        .as_object()?
        .iter()
        .find(|(template, _)| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == asked.len()
                && parts.iter().zip(&asked).all(|(part, given)| {
                    part == given || (part.starts_with('{') && !given.is_empty())
                })
        })?;
    let item = item.as_object()?;
    let methods: Vec<String> = ["get", "head", "post", "put", "patch", "delete"]
        .iter()
        // HEAD is answered wherever GET is (serve.rs).
        .filter(|m| item.contains_key(**m) || (**m == "head" && item.contains_key("get")))
        .map(|m| m.to_ascii_uppercase())
        .collect();
    Some(methods.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::Value;

    fn document() -> Value {
        serde_json::from_str(DOCUMENT).expect("openapi.json is valid JSON")
    }

    #[test]
    fn a_path_s_allowed_methods_come_from_the_document() {
        assert_eq!(allowed(DOCUMENT, "/api/posts").as_deref(), Some("POST"));
        let element = allowed(DOCUMENT, "/api/elements/e_1").unwrap();
        assert!(
            element.starts_with("GET, HEAD")
                && element.contains("PATCH")
                && element.contains("DELETE")
        );
        assert_eq!(
            allowed(DOCUMENT, "/api/health").as_deref(),
            Some("GET, HEAD")
        );
        assert_eq!(allowed(DOCUMENT, "/api/nowhere/at/all"), None);
    }

    #[test]
    fn production_s_document_has_no_development_route() {
        assert!(!DOCUMENT.contains("/api/dev/"));
        assert_eq!(allowed(DOCUMENT, "/api/dev/outbox"), None);
        assert_eq!(
            allowed(DEVELOPMENT_DOCUMENT, "/api/dev/outbox").as_deref(),
            Some("GET, HEAD")
        );
        let whole: Value = serde_json::from_str(DEVELOPMENT_DOCUMENT).unwrap();
        let production = document();
        let whole_paths = whole["paths"].as_object().unwrap();
        let kept = production["paths"].as_object().unwrap();
        let dropped = whole_paths.keys().filter(|p| !kept.contains_key(*p));
        assert!(dropped.clone().all(|p| p.starts_with("/api/dev/")));
        assert_eq!(dropped.count(), 7, "the seven development routes");
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
    fn every_body_has_a_schema_and_an_example() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let mut contents = vec![("request".to_string(), &op["requestBody"]["content"])];
                for (status, response) in op["responses"].as_object().unwrap() {
                    contents.push((status.clone(), &response["content"]));
                }
                for (place, content) in contents {
                    for (media, entry) in content.as_object().into_iter().flatten() {
                        let named = format!("{method} {path} {place} {media}");
                        assert!(entry.get("schema").is_some(), "{named}: no schema");
                        let example = entry.get("example").or(entry.get("examples"));
                        assert!(example.is_some(), "{named}: no example");
                    }
                }
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
