//! Host 2: the application on one machine, as the single binary `communs`. Only the adapters to
//! the application's ports (a pool of SQLite connections, the system clock, the operating
//! system's randomness, SMTP for mail, standard error for the log, a timer for the scheduled run, the static
//! site from a folder) and the operator's commands (serve, migrate, backup, restore, doctor,
//! imports) live here: every rule is in `domain`, every statement in `store`, every handler in
//! `app`.

pub mod database;
pub mod doctor;
pub mod import;
pub mod log;
pub mod media;
pub mod outbound;
pub mod ports;
pub mod scheduled;
pub mod serve;
pub mod settings;
pub mod site;
pub mod smtp;
#[cfg(feature = "dev")]
pub mod stand_in;
