//! People, sign-ins and sessions.

use super::{batch, database_error, decode, query_first, run};
use crate::App;
use domain::account::SessionTimes;
use domain::error::ApiError;
use domain::profile::{Person, Profile};
use serde_json::{Value, json};
use store::accounts::{PersonRow, people};

/// Records a pending sign-in.
pub async fn create_sign_in(
    app: &App,
    token_hash: &str,
    code_hash: &str,
    email: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), ApiError> {
    let created = people::create_sign_in(token_hash, code_hash, email, now, expires_at);
    run(app, created, "create sign-in").await
}

/// The address whose link this is, if it is live; the link is used up by this call.
pub async fn use_token(app: &App, token_hash: &str, now: i64) -> Result<Option<String>, ApiError> {
    let row = query_first(app, people::use_token(token_hash, now), "use token").await?;
    Ok(row.map(|r| r.email))
}

/// Uses a typed code, or counts a failed attempt against the address's live sign-ins.
pub async fn use_code(
    app: &App,
    email: &str,
    code_hash: &str,
    max_attempts: i64,
    now: i64,
) -> Result<bool, ApiError> {
    let used = people::use_code(email, code_hash, max_attempts, now);
    if query_first(app, used, "use code").await?.is_some() {
        return Ok(true);
    }
    run(app, people::fail_code(email, now), "fail code").await?;
    Ok(false)
}

/// Creates the person on first sign-in and opens a session, in one batch.
pub async fn open_session(
    app: &App,
    new_person_id: &str,
    email: &str,
    session_hash: &str,
    times: SessionTimes,
    now: i64,
) -> Result<Person, ApiError> {
    let statements = vec![
        people::insert_person(new_person_id, email, now),
        people::insert_session(session_hash, email, times, now),
        people::by_email(email).statement,
    ];
    let results = batch(app, statements, "open session").await?;
    let rows: Vec<PersonRow> = decode(
        results.into_iter().last().unwrap_or_default().rows,
        "open session",
    )?;
    rows.into_iter().next().map(Person::from).ok_or_else(|| {
        let missing = store::db::DbError {
            message: "no person".into(),
        };
        database_error("open session", missing)
    })
}

pub async fn person_by_session(
    app: &App,
    session_hash: &str,
) -> Result<Option<(Person, SessionTimes)>, ApiError> {
    let row = query_first(app, people::by_session(session_hash), "session").await?;
    Ok(row.map(|row| {
        let times = SessionTimes {
            expires_at: row.expires_at,
            absolute_expires_at: row.absolute_expires_at,
            refreshed_at: row.refreshed_at,
        };
        (row.person.into(), times)
    }))
}

pub async fn refresh_session(
    app: &App,
    session_hash: &str,
    times: SessionTimes,
) -> Result<(), ApiError> {
    let refreshed = people::refresh_session(session_hash, times);
    run(app, refreshed, "refresh session").await
}

pub async fn delete_session(app: &App, session_hash: &str) -> Result<(), ApiError> {
    run(app, people::delete_session(session_hash), "delete session").await
}

pub async fn update_profile(
    app: &App,
    id: &str,
    profile: &Profile,
    now: i64,
) -> Result<(), ApiError> {
    let updated = people::update_profile(id, profile, now);
    run(app, updated, "update profile").await
}

/// A person's address, to write to them.
pub async fn email_of(app: &App, person_id: &str) -> Result<Option<String>, ApiError> {
    let row = query_first(app, people::email_of(person_id), "email").await?;
    Ok(row.map(|r| r.email))
}

/// Everything held about a person besides their profile: sessions, sign-ins, mails, gifts,
/// pledges and saved card.
pub async fn records_of(app: &App, person: &Person) -> Result<Value, ApiError> {
    let statements = vec![
        people::sessions_of(&person.id),
        people::sign_ins_of(&person.email),
        store::outbox::of_email(&person.email),
        store::funding::donations::of_person(&person.id).statement,
        store::features::pledge::of_person(&person.id).statement,
        store::features::pledge::method_of(&person.id).statement,
        store::comments::of_author(&person.id).statement,
        store::media::of_author(&person.id).statement,
        store::notifications::of_person(&person.id, None, 10_000).statement,
    ];
    let results = batch(app, statements, "export").await?;
    let mut lists = results
        .into_iter()
        .map(|result| Value::Array(result.values()));
    Ok(json!({
        "sessions": lists.next(),
        "sign_ins": lists.next(),
        "mails": lists.next(),
        "donations": lists.next(),
        "pledges": lists.next(),
        "payment_methods": lists.next(),
        "comments": lists.next(),
        "pictures": lists.next(),
        "notifications": lists.next(),
    }))
}

/// Erases a person and what hangs on them, in one batch; `forget` names rate-limit counters
/// keyed on them.
pub async fn erase(app: &App, person_id: &str, forget: &[String]) -> Result<(), ApiError> {
    let counters = forget.iter().map(|key| store::limits::forget(key));
    let person = people::erase(person_id);
    batch(app, counters.chain(person).collect(), "erase").await?;
    Ok(())
}

/// Drops expired sign-ins and sessions, and rate-limit windows older than `oldest_window`
/// (the scheduled clean-up).
pub async fn purge_expired(app: &App, now: i64, oldest_window: i64) -> Result<(), ApiError> {
    let expired = people::purge_expired(now);
    let windows = store::limits::purge(oldest_window);
    let statements = expired.into_iter().chain([windows]).collect();
    batch(app, statements, "purge").await?;
    Ok(())
}
