//! People, sign-ins and sessions.

use super::{first, int, run, statement, text};
use crate::App;
use domain::account::SessionTimes;
use domain::error::ApiError;
use domain::profile::{Person, Profile, parse_public_fields};
use serde::Deserialize;
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

/// A person's address, for the mail the scheduled run sends them.
pub async fn email_of(app: &App, person_id: &str) -> Result<Option<String>, ApiError> {
    #[derive(Deserialize)]
    struct Email {
        email: String,
    }
    let found = statement(sql::EMAIL_OF, vec![text(person_id)]);
    let row: Option<Email> = first(app, found, "email").await?;
    Ok(row.map(|r| r.email))
}
