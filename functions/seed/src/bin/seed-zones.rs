//! Writes the SQL that loads every French zone into D1, from the pinned npm data packages.
//!
//! Usage: seed-zones OUT_DIR [--departements 974,75] [--data node_modules]
//! Writes OUT_DIR/zones-NN.sql files of a few thousand rows each, so that applying them can
//! show progress; each statement is an upsert, so applying them twice changes nothing.

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

fn run() -> Result<(), String> {
    let args = seed::cli::Args::parse("seed-zones")?;
    let sources = seed::zones::load(&args.data)?;
    let (zones, links) = seed::zones::build(&sources, args.departements.as_deref());
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
    // D1 refuses statements over 100 kB: 200 rows stay well under.
    let statements = seed::zones::to_sql(&zones, &links, 200);
    seed::cli::write_files(&args.out, "zones", &statements, 50)
}
