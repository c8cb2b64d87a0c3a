//! The hourly run, the same on both hosts (a cron trigger on Workers, a timer in `communs`):
//! features past their deadline expire and release their pledges, due charges are made or tried
//! again, finished votes close with their resolution, and expired sign-ins, sessions and old
//! rate windows are dropped. Each part runs even when another failed; failures are logged.

use crate::{App, log};

/// How long a rate window is kept after it ends (the longest limit's window).
const RATE_WINDOWS_KEPT: i64 = 24 * 3600;

pub async fn run(app: &App) {
    if let Err(error) = crate::settle::scheduled(app).await {
        log::error(&format!(
            "scheduled funding run failed: {}",
            error.code.code()
        ));
    }
    if let Err(error) = crate::handlers::proposals::scheduled(app).await {
        log::error(&format!(
            "scheduled closing of votes failed: {}",
            error.code.code()
        ));
    }
    if let Err(error) = crate::handlers::notifications::scheduled(app).await {
        log::error(&format!(
            "scheduled notifications failed: {}",
            error.code.code()
        ));
    }
    let now = app.now();
    let purged = crate::repo::accounts::purge_expired(app, now, now - RATE_WINDOWS_KEPT).await;
    if let Err(error) = purged {
        log::error(&format!("scheduled clean-up failed: {}", error.code.code()));
    }
}
