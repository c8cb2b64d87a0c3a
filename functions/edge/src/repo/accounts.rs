//! People, sign-ins and sessions in D1.

use super::{database_error, db, int, opt_text, statement, text};
use domain::account::SessionTimes;
use domain::error::ApiError;
use domain::profile::{Person, Profile, parse_public_fields};
use serde::Deserialize;
use serde_json::{Value, json};
use store::accounts as sql;
use worker::Env;

#[derive(Deserialize)]
struct PersonRow {
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

/// Records a pending sign-in. ?1 token_hash, ?2 code_hash, ?3 email, ?4 now, ?5 expires_at
pub async fn create_sign_in(
    env: &Env,
    token_hash: &str,
    code_hash: &str,
    email: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), ApiError> {
    let db = db(env)?;
    let args = [
        text(token_hash),
        text(code_hash),
        text(email),
        int(now),
        int(expires_at),
    ];
    statement(&db, sql::INSERT_SIGN_IN, &args)?
        .run()
        .await
        .map_err(|e| database_error("create sign-in", e))?;
    Ok(())
}

#[derive(Deserialize)]
struct EmailRow {
    email: String,
}

/// The address whose link this is, if it is live; the link is used up by this call.
pub async fn use_token(env: &Env, token_hash: &str, now: i64) -> Result<Option<String>, ApiError> {
    let db = db(env)?;
    let row: Option<EmailRow> =
        statement(&db, sql::USE_SIGN_IN_TOKEN, &[int(now), text(token_hash)])?
            .first(None)
            .await
            .map_err(|e| database_error("use token", e))?;
    Ok(row.map(|r| r.email))
}

/// Uses a typed code, or counts a failed attempt against the address's live sign-ins.
pub async fn use_code(
    env: &Env,
    email: &str,
    code_hash: &str,
    max_attempts: i64,
    now: i64,
) -> Result<bool, ApiError> {
    let db = db(env)?;
    let args = [int(now), text(email), text(code_hash), int(max_attempts)];
    let row: Option<EmailRow> = statement(&db, sql::USE_SIGN_IN_CODE, &args)?
        .first(None)
        .await
        .map_err(|e| database_error("use code", e))?;
    if row.is_some() {
        return Ok(true);
    }
    statement(&db, sql::FAIL_SIGN_IN_CODE, &[int(now), text(email)])?
        .run()
        .await
        .map_err(|e| database_error("fail code", e))?;
    Ok(false)
}

/// Creates the person on first sign-in and opens a session, in one batch.
pub async fn open_session(
    env: &Env,
    new_person_id: &str,
    email: &str,
    session_hash: &str,
    times: SessionTimes,
    now: i64,
) -> Result<Person, ApiError> {
    let db = db(env)?;
    let batch = vec![
        statement(
            &db,
            sql::INSERT_PERSON,
            &[text(new_person_id), text(email), int(now)],
        )?,
        statement(
            &db,
            sql::INSERT_SESSION,
            &[
                text(session_hash),
                text(email),
                int(now),
                int(times.expires_at),
                int(times.absolute_expires_at),
            ],
        )?,
        statement(&db, sql::PERSON_BY_EMAIL, &[text(email)])?,
    ];
    let results = db
        .batch(batch)
        .await
        .map_err(|e| database_error("open session", e))?;
    let rows: Vec<PersonRow> = results
        .last()
        .map(|r| r.results())
        .transpose()
        .map_err(|e| database_error("open session", e))?
        .unwrap_or_default();
    rows.into_iter()
        .next()
        .map(Person::from)
        .ok_or_else(|| database_error("open session", worker::Error::RustError("no person".into())))
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
    env: &Env,
    session_hash: &str,
) -> Result<Option<(Person, SessionTimes)>, ApiError> {
    let db = db(env)?;
    let row: Option<SessionRow> = statement(&db, sql::PERSON_BY_SESSION, &[text(session_hash)])?
        .first(None)
        .await
        .map_err(|e| database_error("session", e))?;
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
    env: &Env,
    session_hash: &str,
    times: SessionTimes,
) -> Result<(), ApiError> {
    let db = db(env)?;
    let args = [
        text(session_hash),
        int(times.refreshed_at),
        int(times.expires_at),
    ];
    statement(&db, sql::REFRESH_SESSION, &args)?
        .run()
        .await
        .map_err(|e| database_error("refresh session", e))?;
    Ok(())
}

pub async fn delete_session(env: &Env, session_hash: &str) -> Result<(), ApiError> {
    let db = db(env)?;
    statement(&db, sql::DELETE_SESSION, &[text(session_hash)])?
        .run()
        .await
        .map_err(|e| database_error("delete session", e))?;
    Ok(())
}

pub async fn update_profile(
    env: &Env,
    id: &str,
    profile: &Profile,
    now: i64,
) -> Result<(), ApiError> {
    let db = db(env)?;
    let fields = serde_json::to_string(&profile.public_fields).unwrap_or_else(|_| "[]".into());
    let args = [
        text(id),
        opt_text(profile.display_name.as_deref()),
        opt_text(profile.home_scope.as_deref()),
        text(&fields),
        int(now),
    ];
    statement(&db, sql::UPDATE_PROFILE, &args)?
        .run()
        .await
        .map_err(|e| database_error("update profile", e))?;
    Ok(())
}

/// A person's address, to write to them.
pub async fn email_of(env: &Env, person_id: &str) -> Result<Option<String>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Email {
        email: String,
    }
    let row: Option<Email> = super::first(env, sql::EMAIL_OF, &[text(person_id)], "email").await?;
    Ok(row.map(|r| r.email))
}

/// Everything held about a person besides their profile: sessions, sign-ins, mails, gifts,
/// pledges and saved card.
pub async fn records_of(env: &Env, person: &Person) -> Result<Value, ApiError> {
    let db = db(env)?;
    let batch = vec![
        statement(&db, sql::SESSIONS_OF_PERSON, &[text(&person.id)])?,
        statement(&db, sql::SIGN_INS_OF_EMAIL, &[text(&person.email)])?,
        statement(&db, store::outbox::OF_EMAIL, &[text(&person.email)])?,
        statement(
            &db,
            store::funding::DONATIONS_OF_PERSON,
            &[text(&person.id)],
        )?,
        statement(&db, store::features::PLEDGES_OF_PERSON, &[text(&person.id)])?,
        statement(&db, store::features::METHOD_OF, &[text(&person.id)])?,
    ];
    let results = db
        .batch(batch)
        .await
        .map_err(|e| database_error("export", e))?;
    let mut lists = Vec::with_capacity(results.len());
    for result in results {
        lists.push(Value::Array(
            result.results().map_err(|e| database_error("export", e))?,
        ));
    }
    let mut lists = lists.into_iter();
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
pub async fn erase(env: &Env, person_id: &str, forget: &[String]) -> Result<(), ApiError> {
    let db = db(env)?;
    let mut batch = Vec::new();
    for key in forget {
        batch.push(statement(&db, store::limits::FORGET, &[text(key)])?);
    }
    for sql in sql::ERASE_PERSON {
        batch.push(statement(&db, sql, &[text(person_id)])?);
    }
    db.batch(batch)
        .await
        .map_err(|e| database_error("erase", e))?;
    Ok(())
}

/// Drops expired sign-ins and sessions, and rate-limit windows older than `oldest_window`.
pub async fn purge_expired(env: &Env, now: i64, oldest_window: i64) -> Result<(), ApiError> {
    let db = db(env)?;
    let mut batch = Vec::new();
    for sql in sql::PURGE_EXPIRED {
        batch.push(statement(&db, sql, &[int(now)])?);
    }
    batch.push(statement(&db, store::limits::PURGE, &[int(oldest_window)])?);
    db.batch(batch)
        .await
        .map_err(|e| database_error("purge", e))?;
    Ok(())
}
