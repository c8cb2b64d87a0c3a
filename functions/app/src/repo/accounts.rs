//! People, sign-ins and sessions.

use super::{batch, database_error, decode, first, int, opt_text, run, statement, text};
use crate::App;
use domain::account::SessionTimes;
use domain::error::ApiError;
use domain::profile::{Person, Profile, parse_public_fields};
use serde::Deserialize;
use serde_json::{Value, json};
use store::accounts as sql;

#[derive(Deserialize)]
pub(crate) struct PersonRow {
    id: String,
    email: String,
    display_name: Option<String>,
    home_scope: Option<String>,
    public_fields: String,
    created_at: i64,
    updated_at: i64,
}

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Person {
        Person {
            id: row.id,
            email: row.email,
            profile: Profile {
                display_name: row.display_name,
                home_scope: row.home_scope,
                public_fields: parse_public_fields(&row.public_fields),
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Records a pending sign-in.
pub async fn create_sign_in(
    app: &App,
    token_hash: &str,
    code_hash: &str,
    email: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), ApiError> {
    let args = vec![
        text(token_hash),
        text(code_hash),
        text(email),
        int(now),
        int(expires_at),
    ];
    run(app, statement(sql::INSERT_SIGN_IN, args), "create sign-in").await
}

#[derive(Deserialize)]
struct EmailRow {
    email: String,
}

/// The address whose link this is, if it is live; the link is used up by this call.
pub async fn use_token(app: &App, token_hash: &str, now: i64) -> Result<Option<String>, ApiError> {
    let used = statement(sql::USE_SIGN_IN_TOKEN, vec![int(now), text(token_hash)]);
    let row: Option<EmailRow> = first(app, used, "use token").await?;
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
    let args = vec![int(now), text(email), text(code_hash), int(max_attempts)];
    let row: Option<EmailRow> =
        first(app, statement(sql::USE_SIGN_IN_CODE, args), "use code").await?;
    if row.is_some() {
        return Ok(true);
    }
    let failed = statement(sql::FAIL_SIGN_IN_CODE, vec![int(now), text(email)]);
    run(app, failed, "fail code").await?;
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
    let session = vec![
        text(session_hash),
        text(email),
        int(now),
        int(times.expires_at),
        int(times.absolute_expires_at),
    ];
    let statements = vec![
        statement(
            sql::INSERT_PERSON,
            vec![text(new_person_id), text(email), int(now)],
        ),
        statement(sql::INSERT_SESSION, session),
        statement(sql::PERSON_BY_EMAIL, vec![text(email)]),
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

#[derive(Deserialize)]
struct SessionRow {
    #[serde(flatten)]
    person: PersonRow,
    expires_at: i64,
    absolute_expires_at: i64,
    refreshed_at: i64,
}

pub async fn person_by_session(
    app: &App,
    session_hash: &str,
) -> Result<Option<(Person, SessionTimes)>, ApiError> {
    let found = statement(sql::PERSON_BY_SESSION, vec![text(session_hash)]);
    let row: Option<SessionRow> = first(app, found, "session").await?;
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
    let args = vec![
        text(session_hash),
        int(times.refreshed_at),
        int(times.expires_at),
    ];
    run(
        app,
        statement(sql::REFRESH_SESSION, args),
        "refresh session",
    )
    .await
}

pub async fn delete_session(app: &App, session_hash: &str) -> Result<(), ApiError> {
    let deleted = statement(sql::DELETE_SESSION, vec![text(session_hash)]);
    run(app, deleted, "delete session").await
}

pub async fn update_profile(
    app: &App,
    id: &str,
    profile: &Profile,
    now: i64,
) -> Result<(), ApiError> {
    let fields = serde_json::to_string(&profile.public_fields).unwrap_or_else(|_| "[]".into());
    let args = vec![
        text(id),
        opt_text(profile.display_name.as_deref()),
        opt_text(profile.home_scope.as_deref()),
        text(&fields),
        int(now),
    ];
    run(app, statement(sql::UPDATE_PROFILE, args), "update profile").await
}

/// A person's address, to write to them.
pub async fn email_of(app: &App, person_id: &str) -> Result<Option<String>, ApiError> {
    let found = statement(sql::EMAIL_OF, vec![text(person_id)]);
    let row: Option<EmailRow> = first(app, found, "email").await?;
    Ok(row.map(|r| r.email))
}

/// Everything held about a person besides their profile: sessions, sign-ins, mails, gifts,
/// pledges and saved card.
pub async fn records_of(app: &App, person: &Person) -> Result<Value, ApiError> {
    let id = || vec![text(&person.id)];
    let email = || vec![text(&person.email)];
    let statements = vec![
        statement(sql::SESSIONS_OF_PERSON, id()),
        statement(sql::SIGN_INS_OF_EMAIL, email()),
        statement(store::outbox::OF_EMAIL, email()),
        statement(store::funding::DONATIONS_OF_PERSON, id()),
        statement(store::features::PLEDGES_OF_PERSON, id()),
        statement(store::features::METHOD_OF, id()),
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
    }))
}

/// Erases a person and what hangs on them, in one batch; `forget` names rate-limit counters
/// keyed on them.
pub async fn erase(app: &App, person_id: &str, forget: &[String]) -> Result<(), ApiError> {
    let counters = forget
        .iter()
        .map(|key| statement(store::limits::FORGET, vec![text(key)]));
    let person = sql::ERASE_PERSON
        .iter()
        .map(|sql| statement(sql, vec![text(person_id)]));
    batch(app, counters.chain(person).collect(), "erase").await?;
    Ok(())
}

/// Drops expired sign-ins and sessions, and rate-limit windows older than `oldest_window`
/// (the scheduled clean-up).
pub async fn purge_expired(app: &App, now: i64, oldest_window: i64) -> Result<(), ApiError> {
    let expired = sql::PURGE_EXPIRED
        .iter()
        .map(|sql| statement(sql, vec![int(now)]));
    let windows = statement(store::limits::PURGE, vec![int(oldest_window)]);
    batch(app, expired.chain([windows]).collect(), "purge").await?;
    Ok(())
}
