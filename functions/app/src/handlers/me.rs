//! The signed-in person's own account: read, change, export, erase.

use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo, session};
use axum::extract::State;
use domain::access::{self, Action};
use domain::account;
use domain::error::{ApiError, ErrorCode};
use domain::profile::{Person, ProfilePatch};
use serde_json::json;

/// The signed-in person, once the permission rules agree they may manage their account, and
/// whether they are an instance admin.
/// The signed-in person; 401 otherwise.
pub async fn signed_in(req: &Req, app: &App) -> Result<Person, ApiError> {
    Ok(owner(req, app).await?.0)
}

async fn owner(req: &Req, app: &App) -> Result<(Person, bool), ApiError> {
    let found = session::current(req, app).await?;
    let actor = access::Actor {
        signed_in: found.is_some(),
        ..Default::default()
    };
    access::decide(
        actor,
        Action::ManageOwnAccount,
        Default::default(),
        Default::default(),
    )?;
    let (person, _) = found.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let admin = account::is_instance_admin(&person.email, &app.config.admin_emails);
    Ok((person, admin))
}

/// `GET /api/me`.
pub async fn show(State(app): State<App>, req: Req) -> Outcome {
    let (person, admin) = owner(&req, &app).await?;
    me(&app, &person, admin).await
}

/// The person as `GET /api/me` shows them, with their mail cadences.
async fn me(app: &App, person: &Person, admin: bool) -> Outcome {
    let mut view = serde_json::to_value(person.me_view(admin)).unwrap_or_default();
    view["notifications"] = crate::handlers::notifications::cadences(app, &person.id).await?;
    respond::json(&view)
}

/// `PATCH /api/me`: the fields given change, each checked.
pub async fn update(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let (mut person, admin) = owner(&req, &app).await?;
    let mut patch: ProfilePatch = req.json().await?;
    let cadences = patch.notifications.take();
    person.profile = patch.apply(person.profile)?;
    // A home scope of the right shape must also be a zone that exists.
    if let Some(scope) = &person.profile.home_scope
        && repo::zones::by_id(&app, scope).await?.is_none()
    {
        return Err(ApiError::on_field(ErrorCode::UnknownZone, "home_scope").into());
    }
    person.updated_at = app.now();
    if let Some(asked) = &cadences {
        // Checked before anything is written: a bad kind changes nothing at all.
        crate::handlers::notifications::check(asked)?;
    }
    repo::accounts::update_profile(&app, &person.id, &person.profile, person.updated_at).await?;
    if let Some(asked) = &cadences {
        crate::handlers::notifications::change(&app, &person.id, asked).await?;
    }
    me(&app, &person, admin).await
}

/// `GET /api/me/links`: the elements the person follows, belongs to, looks after or asked to
/// join.
pub async fn links(State(app): State<App>, req: Req) -> Outcome {
    let (person, _) = owner(&req, &app).await?;
    let items: Vec<domain::space::MyLink> = repo::elements::links_of(&app, &person.id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    respond::json(&json!({ "items": items, "next_cursor": null }))
}

/// `GET /api/me/proposals`: the open proposals of the person's communities, each saying
/// whether they may vote on it.
pub async fn proposals(State(app): State<App>, req: Req) -> Outcome {
    let (person, admin) = owner(&req, &app).await?;
    let now = app.now();
    let year_ago = domain::donation::donors_since(now);
    let rows = repo::cooperation::open_for(&app, &person.id, now).await?;
    let voter = domain::vote::proposal::Voter {
        signed_in: true,
        member: true,
        donor: repo::funding::is_donor(&app, &person.id, year_ago).await?,
        instance_admin: admin,
    };
    let items = domain::space::open_proposals(&rows, now, voter);
    respond::json(&json!({ "items": items, "next_cursor": null }))
}

/// `GET /api/me/export`: every piece of data held about the person, as one JSON file.
pub async fn export(State(app): State<App>, req: Req) -> Outcome {
    let (person, admin) = owner(&req, &app).await?;
    let records = repo::accounts::records_of(&app, &person).await?;
    let response = respond::json(&json!({
        "exported_at": domain::time::rfc3339(app.now()),
        "person": person.me_view(admin),
        "records": records,
    }))?;
    respond::with_header(
        response,
        "Content-Disposition",
        "attachment; filename=\"communs-mes-donnees.json\"",
    )
}

/// `DELETE /api/me`: erases the account and everything that hangs on it.
pub async fn erase(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let (person, _) = owner(&req, &app).await?;
    // The pictures they added go first: their files, then their rows (a failure stops here,
    // before anything else is erased, so that erasing again finds them).
    let pictures = repo::query(&app, store::media::of_author(&person.id), "pictures").await?;
    let gone = crate::handlers::pictures::remove_all(&app, &pictures).await?;
    let counter = domain::limits::SIGN_IN_PER_EMAIL.counter(&person.email, app.now());
    repo::accounts::erase(&app, &person.id, &[counter.key]).await?;
    let response = respond::with_session_cookies(respond::no_content()?, None)?;
    respond::stale_media(response, &gone)
}
