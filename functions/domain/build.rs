//! The OpenAPI document is kept readable in `openapi.json` and served minified: the worker
//! carries it, and its indentation alone would add about a third to its size. Production builds
//! have no development route, so their document has none either (`openapi.min.json`); the
//! development builds' is whole (`openapi.dev.min.json`).

fn main() {
    println!("cargo:rerun-if-changed=openapi.json");
    let text = std::fs::read_to_string("openapi.json").expect("openapi.json is readable");
    let mut document: serde_json::Value =
        serde_json::from_str(&text).expect("openapi.json is valid JSON");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let write = |name: &str, document: &serde_json::Value| {
        let text = serde_json::to_string(document).expect("JSON serializes");
        std::fs::write(out.join(name), text).expect("OUT_DIR is writable");
    };
    write("openapi.dev.min.json", &document);
    let paths = document["paths"]
        .as_object_mut()
        .expect("openapi.json has paths");
    paths.retain(|path, _| !path.starts_with("/api/dev/"));
    write("openapi.min.json", &document);
}
