//! Where the application's log lines go: the host says (the Workers console, standard error).
//! Causes are logged for the operator; a client only ever gets a stable code.

use std::sync::OnceLock;

static SINK: OnceLock<fn(&str)> = OnceLock::new();

/// The host's log line writer, set once at start; standard error until then.
pub fn install(sink: fn(&str)) {
    let _ = SINK.set(sink);
}

pub fn error(message: &str) {
    match SINK.get() {
        Some(sink) => sink(message),
        None => eprintln!("{message}"),
    }
}
