//! The scheduled run: what the Workers host does from its hourly cron (`wrangler.back.toml`,
//! `23 * * * *`, `edge::serve::scheduled`). The application does not expose that run as a
//! function yet; until it does, this hook only says, at debug level, what it would do. It holds
//! no rule of its own.

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
            run(&app).await;
        }
    })
}

/// One run. TODO(app): call the application's scheduled function once it has one.
pub async fn run(app: &App) {
    crate::log::debug(&format!(
        "scheduled run at {}: not in the application yet; the Workers host settles the funding \
         campaigns, closes the votes whose time is up and purges expired sign-ins and sessions \
         here",
        domain::time::rfc3339(app.now())
    ));
}
