//! The log: one line per event on standard error, with the time (UTC) and a level, which a
//! supervisor (systemd's journal, docker logs) keeps. `COMMUNS_LOG=debug` adds the debug lines.

use std::sync::atomic::{AtomicBool, Ordering};

static DEBUG: AtomicBool = AtomicBool::new(false);

/// Sends the application's log (`app::log`) here, and reads `COMMUNS_LOG` through `lookup`.
pub fn install(lookup: impl Fn(&str) -> Option<String>) {
    let debug = lookup("COMMUNS_LOG").is_some_and(|level| level.eq_ignore_ascii_case("debug"));
    DEBUG.store(debug, Ordering::Relaxed);
    app::log::install(application_error);
}

fn application_error(message: &str) {
    write("error", message);
}

pub fn line(level: &str, message: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    format!("{} {level:<5} {message}", domain::time::rfc3339(now))
}

fn write(level: &str, message: &str) {
    eprintln!("{}", line(level, message));
}

pub fn info(message: &str) {
    write("info", message);
}

pub fn warn(message: &str) {
    write("warn", message);
}

pub fn error(message: &str) {
    write("error", message);
}

pub fn debug(message: &str) {
    if DEBUG.load(Ordering::Relaxed) {
        write("debug", message);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_starts_with_the_time_and_the_level() {
        let line = super::line("info", "listening");
        let (time, rest) = line.split_once(' ').unwrap();
        assert!(domain::time::parse_rfc3339(time).is_some(), "{time}");
        assert_eq!(rest, "info  listening");
    }
}
