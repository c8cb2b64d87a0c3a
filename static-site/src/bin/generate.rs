//! The static build: renders every page and copies the assets into the output folder.
//!
//! Usage: `generate [OUT_DIR]` (default `static-site/dist`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("static-site/dist"));
    match generate(&out) {
        Ok(count) => {
            println!("static site: {count} pages written to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("static site: {error}");
            ExitCode::FAILURE
        }
    }
}

fn generate(out: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    // Start clean so a page removed from the site does not linger in the output.
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out)?;
    let pages = site::pages::all()?;
    for page in &pages {
        let path = out.join(page.file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, &page.html)?;
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&here.join("assets"), &out.join("assets"))?;
    // Leaflet, served from the site itself (pinned in package.json), loaded only by the map island.
    let leaflet = here.join("../node_modules/leaflet/dist");
    if !leaflet.exists() {
        return Err("node_modules/leaflet is missing: run scripts/setup.sh".into());
    }
    let target = out.join("assets/leaflet");
    fs::create_dir_all(&target)?;
    for file in ["leaflet.js", "leaflet.css"] {
        fs::copy(leaflet.join(file), target.join(file))?;
    }
    copy_dir(&leaflet.join("images"), &target.join("images"))?;
    fs::write(
        out.join("_headers"),
        domain::security::assets_headers_file(),
    )?;
    Ok(pages.len())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
