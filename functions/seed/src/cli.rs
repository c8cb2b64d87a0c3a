//! What the seed binaries share: their arguments and how they write SQL files.

use std::path::{Path, PathBuf};

pub struct Args {
    pub out: PathBuf,
    pub departements: Option<Vec<String>>,
    pub data: PathBuf,
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
            "usage: {name} OUT_DIR [--departements 974,75] [--data DIR] [--elements N] [--db FILE]"
        );
        let out = PathBuf::from(args.next().ok_or(usage)?);
        let mut parsed = Args {
            out,
            departements: None,
            data: PathBuf::from("node_modules"),
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
