//! Donations, the provider's events and the funding summary.

use super::{Statement, all, first, int, run, statement, text};
use crate::App;
use domain::donation::{DonationRow, Summary};
use domain::error::ApiError;
use store::funding as sql;

#[derive(serde::Deserialize)]
pub(crate) struct Count {
    pub(crate) n: i64,
}

impl Count {
    /// Whether a `count(*) AS n` row says there is any.
    pub(crate) fn any(row: Option<Count>) -> bool {
        row.is_some_and(|c| c.n > 0)
    }
}

/// Whether the person gave in the last year (`year_ago` on) or gives monthly.
pub async fn is_donor(app: &App, person: &str, year_ago: i64) -> Result<bool, ApiError> {
    let found = statement(sql::IS_DONOR, vec![text(person), int(year_ago)]);
    Ok(Count::any(first(app, found, "donor").await?))
}

/// The statement that records a new donation, pending.
pub fn insert_step(row: &DonationRow) -> Statement {
    let args = vec![
        text(&row.id),
        super::opt_text(row.person_id.as_deref()),
        int(row.amount_cents),
        text(&row.currency),
        text(row.recurring.as_str()),
        text(&row.provider),
        int(row.created_at),
    ];
    statement(sql::INSERT_DONATION, args)
}

pub async fn insert_donation(app: &App, row: &DonationRow) -> Result<(), ApiError> {
    run(app, insert_step(row), "donation").await
}

pub async fn set_checkout(app: &App, id: &str, session: &str) -> Result<(), ApiError> {
    let args = vec![text(id), text(session)];
    run(app, statement(sql::SET_CHECKOUT, args), "checkout").await
}

pub async fn donation(app: &App, id: &str) -> Result<Option<DonationRow>, ApiError> {
    let found = statement(sql::DONATION_BY_ID, vec![text(id)]);
    first(app, found, "donation").await
}

pub async fn donation_by_subscription(
    app: &App,
    sub: &str,
) -> Result<Option<DonationRow>, ApiError> {
    let found = statement(sql::DONATION_BY_SUBSCRIPTION, vec![text(sub)]);
    first(app, found, "donation").await
}

pub async fn donations_of(app: &App, person: &str) -> Result<Vec<DonationRow>, ApiError> {
    let found = statement(sql::DONATIONS_OF_PERSON, vec![text(person)]);
    all(app, found, "donations").await
}

pub async fn cancel(app: &App, id: &str, now: i64) -> Result<(), ApiError> {
    run(app, cancel_step(id, now), "cancel donation").await
}

pub async fn event_seen(app: &App, id: &str) -> Result<bool, ApiError> {
    let found = statement(sql::EVENT_SEEN, vec![text(id)]);
    Ok(Count::any(first(app, found, "payment event").await?))
}

pub async fn summary(app: &App, year_ago: i64) -> Result<Summary, ApiError> {
    let found = statement(sql::SUMMARY, vec![int(year_ago)]);
    let row: Option<Summary> = first(app, found, "summary").await?;
    Ok(row.unwrap_or(Summary {
        donors: 0,
        monthly_cents: 0,
        total_cents: 0,
        currency: "EUR".into(),
    }))
}

/// The statement that records a provider's event as seen (a second time fails its batch).
pub fn insert_event_step(id: &str, type_: &str, now: i64) -> Statement {
    statement(sql::INSERT_EVENT, vec![text(id), text(type_), int(now)])
}

/// The statement that confirms a pending donation (a monthly one with its subscription).
pub fn confirm_step(id: &str, subscription: Option<&str>, now: i64) -> Statement {
    let args = vec![text(id), super::opt_text(subscription), int(now)];
    statement(sql::CONFIRM_DONATION, args)
}

/// The statement that stops a running monthly gift.
pub fn cancel_step(id: &str, now: i64) -> Statement {
    statement(sql::CANCEL_DONATION, vec![text(id), int(now)])
}

/// The statement that cancels a pending gift whose delayed payment failed.
pub fn fail_step(id: &str, now: i64) -> Statement {
    statement(sql::FAIL_DONATION, vec![text(id), int(now)])
}

/// The statement that marks a one-off gift paid back in full.
pub fn paid_back_step(id: &str, now: i64) -> Statement {
    statement(sql::DONATION_PAID_BACK, vec![text(id), int(now)])
}

/// The statement that keeps the provider's other names for the payment entered under `source`.
pub fn name_payment_step(source: &str, names: &[String]) -> Statement {
    let names = serde_json::to_string(names).unwrap_or_default();
    statement(sql::NAME_PAYMENT, vec![text(source), text(&names)])
}
