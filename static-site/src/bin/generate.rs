//! The static build: renders every page and copies the assets into the output folder.
//!
//! Usage: `generate [OUT_DIR] [--db FILE --site ORIGIN] [--max-files N]` (default
//! `static-site/dist`). With `--db`, a copy of the database (the local D1's SQLite file, or an
//! export), it also pre-renders the page of every zone where something is referenced and of
//! every element, as many as fit: the whole output stays within `--max-files` files (default
//! 20,000, what Cloudflare's free plan takes per Worker version; the edge renders the rest on
//! demand). `--site` is the public origin those pages name (canonical links, JSON-LD).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Options {
    out: PathBuf,
    db: Option<PathBuf>,
    site: String,
    max_files: usize,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        out: PathBuf::from("static-site/dist"),
        db: None,
        site: "http://127.0.0.1:8787".to_string(),
        max_files: site::snapshot::FREE_PLAN_FILES,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => options.db = Some(args.next().ok_or("--db needs a file")?.into()),
            "--site" => options.site = args.next().ok_or("--site needs an origin")?,
            "--max-files" => {
                options.max_files = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--max-files needs a number of files")?
            }
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => options.out = PathBuf::from(other),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let result = options().map_err(Into::into).and_then(|o| generate(&o));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("static site: {error}");
            ExitCode::FAILURE
        }
    }
}

fn write_all(out: &Path, pages: &[site::Rendered]) -> std::io::Result<()> {
    for page in pages {
        let path = out.join(&page.file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, &page.html)?;
    }
    Ok(())
}

fn generate(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let out = options.out.as_path();
    // Start clean so a page removed from the site does not linger in the output.
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out)?;
    let pages = site::pages::all()?;
    write_all(out, &pages)?;
    println!(
        "static site: {} pages written to {}",
        pages.len(),
        out.display()
    );
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
    // Its marker clusters (Leaflet.markercluster, pinned too), for maps of any number of results.
    let clusters = here.join("../node_modules/leaflet.markercluster/dist");
    for file in [
        "leaflet.markercluster.js",
        "MarkerCluster.css",
        "MarkerCluster.Default.css",
    ] {
        fs::copy(clusters.join(file), target.join(file)).map_err(|e| {
            format!("node_modules/leaflet.markercluster/dist/{file}: {e} (run scripts/setup.sh)")
        })?;
    }
    fs::write(
        out.join("_headers"),
        domain::security::assets_headers_file(),
    )?;
    // The app's manifest and its service worker live at the root (a worker's scope is its
    // folder); the worker is stamped with the assets' version, so a release replaces its shell.
    fs::copy(
        here.join("root/manifest.webmanifest"),
        out.join("manifest.webmanifest"),
    )?;
    let version = assets_version(&out.join("assets"))?;
    let worker = fs::read_to_string(here.join("root/sw.js"))?.replace("__VERSION__", &version);
    fs::write(out.join("sw.js"), worker)?;
    if let Some(db) = &options.db {
        content(options, db)?;
    }
    Ok(())
}

/// What the database gives: open data by département, then zone and element pages in what is
/// left of `--max-files` once every other file is written.
fn content(options: &Options, db: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let out = options.out.as_path();
    let db = store::native::open_read_only(db)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let today = &domain::time::rfc3339(now)[..10];
    let files = site::snapshot::open_data(&db, &options.site, today)?;
    write_all(out, &files)?;
    println!(
        "static site: {} open-data files per département and their page",
        files.len() - 1
    );
    let written = count_files(out)?;
    let budget = options.max_files.saturating_sub(written);
    let content = site::snapshot::pages(&db, &options.site, budget)?;
    write_all(out, &content)?;
    println!(
        "static site: {} element and zone pages pre-rendered from the database \
         ({} files in all, at most {}; the edge renders the others)",
        content.len(),
        written + content.len(),
        options.max_files
    );
    Ok(())
}

/// The files under `dir`, at any depth.
fn count_files(dir: &Path) -> std::io::Result<usize> {
    let mut count = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        count += match entry.file_type()?.is_dir() {
            true => count_files(&entry.path())?,
            false => 1,
        };
    }
    Ok(count)
}

/// A short digest of every asset's path and bytes, in path order.
fn assets_version(dir: &Path) -> std::io::Result<String> {
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, files)?;
            } else {
                files.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut all = String::new();
    for file in files {
        all.push_str(&file.to_string_lossy());
        all.push_str(&domain::secret::hash(&String::from_utf8_lossy(&fs::read(
            &file,
        )?)));
    }
    Ok(domain::secret::hash(&all)[..12].to_string())
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
