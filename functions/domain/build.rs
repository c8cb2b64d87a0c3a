//! The OpenAPI document is kept readable in `openapi.json` and served minified: the worker
//! carries it, and its indentation alone would add about a third to its size.

fn main() {
    println!("cargo:rerun-if-changed=openapi.json");
    let text = std::fs::read_to_string("openapi.json").expect("openapi.json is readable");
    let document: serde_json::Value =
        serde_json::from_str(&text).expect("openapi.json is valid JSON");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("openapi.min.json");
    std::fs::write(
        out,
        serde_json::to_string(&document).expect("JSON serializes"),
    )
    .expect("OUT_DIR is writable");
}
