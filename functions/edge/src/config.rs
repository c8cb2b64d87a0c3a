//! The instance's settings from wrangler vars and secrets (`.dev.vars` in local development):
//! the application's `Config`, read through this host's lookup.

pub use app::config::{Config, MailApi};
use worker::Env;

pub fn from_env(env: &Env) -> Config {
    Config::from_lookup(|name| {
        env.secret(name)
            .ok()
            .map(|v| v.to_string())
            .or_else(|| env.var(name).ok().map(|v| v.to_string()))
    })
}
