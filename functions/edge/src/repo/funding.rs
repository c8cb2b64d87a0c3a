//! Donations and the ledger are the application's (`app::repo::funding`, `app::repo::ledger`):
//! what the edge's handlers not yet moved still call, on this request's bindings.

use domain::error::ApiError;
use worker::Env;

pub use app::repo::ledger::Movement;

/// `app::repo::ledger::commit_retrying`.
pub async fn commit_retrying(
    env: &Env,
    steps: &[app::repo::Statement],
    movements: &[Movement],
    now: i64,
) -> Result<(), ApiError> {
    app::repo::ledger::commit_retrying(&crate::host::application(env)?, steps, movements, now).await
}

/// `app::repo::funding::is_donor`.
pub async fn is_donor(env: &Env, person: &str, year_ago: i64) -> Result<bool, ApiError> {
    app::repo::funding::is_donor(&crate::host::application(env)?, person, year_ago).await
}
