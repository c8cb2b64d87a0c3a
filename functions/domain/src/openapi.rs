//! The OpenAPI 3.1 document served at `GET /api/openapi.json`. It grows with every endpoint;
//! the end-to-end tests call each documented path against the built worker.

/// Minified from `openapi.json` by the build script.
pub const DOCUMENT: &str = include_str!(concat!(env!("OUT_DIR"), "/openapi.min.json"));

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
    fn every_api_route_of_the_worker_is_documented() {
        let doc = document();
        let paths = doc["paths"].as_object().unwrap();
        let routes = include_str!("../../edge/src/routes.rs");
        let mut seen = 0;
        // `/api/*rest` is the catch-all that answers 404 in the contract's shape.
        for literal in routes
            .split('"')
            .filter(|s| s.starts_with("/api/") && !s.contains('*'))
        {
            let template: String = literal
                .split('/')
                .map(|segment| match segment.strip_prefix(':') {
                    Some(name) => format!("{{{name}}}"),
                    None => segment.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/");
            assert!(paths.contains_key(&template), "{literal} is not documented");
            seen += 1;
        }
        assert!(seen > 60, "only {seen} routes read");
    }

    /// The back serves the whole API; the front only answers some reads first. (The pages both
    /// render are listed once, in `edge::handlers::pages::routes`.)
    #[test]
    fn every_route_of_the_front_is_also_the_backs() {
        let back = include_str!("../../edge/src/routes.rs");
        let front = include_str!("../../edge/src/front.rs");
        let quoted = |routes: &'static str| {
            routes
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|s| s.starts_with('/') && !s.contains('*'))
                .collect::<Vec<_>>()
        };
        let (back, front) = (quoted(back), quoted(front));
        assert!(front.len() > 8, "only {} routes read", front.len());
        for path in front {
            assert!(back.contains(&path), "{path} is the front's only");
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
