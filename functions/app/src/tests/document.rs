//! The OpenAPI document and the router agree: every route is documented, and every documented
//! operation reaches a handler.

use super::{app_on, seeded};
use crate::handlers::system::DOCUMENT;
use axum::body::Body;
use serde_json::Value;
use tower::ServiceExt;

#[test]
fn every_api_route_of_the_application_is_documented() {
    let document: Value = serde_json::from_str(domain::openapi::DEVELOPMENT_DOCUMENT).unwrap();
    let paths = document["paths"].as_object().unwrap();
    let tables = concat!(
        include_str!("../router.rs"),
        include_str!("../handlers/funding.rs"),
        include_str!("../handlers/dev.rs"),
        include_str!("../handlers/dev_checkout.rs"),
    );
    // The first literal of each `.route(…)`.
    let routes: Vec<&str> = tables
        .split(".route(")
        .skip(1)
        .filter_map(|call| call.split('"').nth(1))
        .filter(|path| path.starts_with("/api/"))
        .collect();
    assert!(routes.len() > 60, "only {} routes read", routes.len());
    for route in routes {
        assert!(paths.contains_key(route), "{route} is not documented");
    }
}

#[pollster::test]
async fn every_documented_operation_reaches_a_handler() {
    let app = app_on(seeded(), &[]);
    let document: Value = serde_json::from_str(DOCUMENT).unwrap();
    let mut reached = 0;
    for (template, item) in document["paths"].as_object().unwrap() {
        // Any value for the path's parameters: a handler answers it, if only with its own 404.
        let path: String = template
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let method = method.to_ascii_uppercase();
            let req = http::Request::builder()
                .method(method.as_str())
                .uri(&path)
                .body(Body::empty())
                .unwrap();
            let answer = crate::router(app.clone()).oneshot(req).await.unwrap();
            assert!(
                !crate::respond::is_unrouted(&answer),
                "{method} {template}: no route"
            );
            assert_ne!(answer.status(), 405, "{method} {template}: not this method");
            reached += 1;
        }
    }
    assert!(reached > 60, "only {reached} operations tried");
}
