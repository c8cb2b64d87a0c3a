//! The scheduled run on a timer: what the Workers host does from its hourly cron
//! (`wrangler.back.toml`, `23 * * * *`): `app::scheduled::run`, the same function. It holds no
//! rule of its own.

use app::App;
use std::time::Duration;

/// How often the run comes: every hour, as the cron.
pub const EVERY: Duration = Duration::from_secs(60 * 60);

/// Starts the hourly timer on the runtime; the task ends with the runtime.
pub fn start(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut timer = tokio::time::interval(EVERY);
        timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        // The first tick is at once: the first run comes an hour after the start, as a cron's.
        timer.tick().await;
        loop {
            timer.tick().await;
            crate::log::debug("scheduled run");
            app::scheduled::run(&app).await;
        }
    })
}
