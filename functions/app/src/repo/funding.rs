//! Donations, the provider's events and the funding summary.

use super::{query, query_first, run};
use crate::App;
use domain::donation::{DonationRow, Summary};
use domain::error::ApiError;
use store::db::Count;
use store::funding::donations as sql;

/// Whether the person gave in the last year (`year_ago` on) or gives monthly.
pub async fn is_donor(app: &App, person: &str, year_ago: i64) -> Result<bool, ApiError> {
    Ok(Count::any(
        &query(app, sql::is_donor(person, year_ago), "donor").await?,
    ))
}

pub async fn insert_donation(app: &App, row: &DonationRow) -> Result<(), ApiError> {
    run(app, sql::insert(row), "donation").await
}

pub async fn set_checkout(app: &App, id: &str, session: &str) -> Result<(), ApiError> {
    run(app, sql::set_checkout(id, session), "checkout").await
}

pub async fn donation(app: &App, id: &str) -> Result<Option<DonationRow>, ApiError> {
    query_first(app, sql::by_id(id), "donation").await
}

pub async fn donation_by_subscription(
    app: &App,
    sub: &str,
) -> Result<Option<DonationRow>, ApiError> {
    query_first(app, sql::by_subscription(sub), "donation").await
}

pub async fn donations_of(app: &App, person: &str) -> Result<Vec<DonationRow>, ApiError> {
    query(app, sql::of_person(person), "donations").await
}

pub async fn cancel(app: &App, id: &str, now: i64) -> Result<(), ApiError> {
    run(app, sql::cancel(id, now), "cancel donation").await
}

pub async fn event_seen(app: &App, id: &str) -> Result<bool, ApiError> {
    Ok(Count::any(
        &query(app, sql::event_seen(id), "payment event").await?,
    ))
}

pub async fn summary(app: &App, year_ago: i64) -> Result<Summary, ApiError> {
    let row = query_first(app, sql::summary(year_ago), "summary").await?;
    Ok(row.unwrap_or(Summary {
        donors: 0,
        monthly_cents: 0,
        total_cents: 0,
        currency: "EUR".into(),
    }))
}
