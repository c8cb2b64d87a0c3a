//! The signed-in person, from the session cookie, and the actor the permission rules judge.

use crate::request::Req;
use crate::{App, repo};
use domain::access::{Action, Actor, Relation, Target, decide};
use domain::account::{SessionCheck, check_session};
use domain::error::ApiError;
use domain::profile::Person;

/// The signed-in person, if the cookie names a live session; slides its expiry when due.
pub async fn current(req: &Req, app: &App) -> Result<Option<(Person, String)>, ApiError> {
    let Some(token) = req.session_token() else {
        return Ok(None);
    };
    let hash = domain::secret::hash(&token);
    let Some((person, times)) = repo::accounts::person_by_session(app, &hash).await? else {
        return Ok(None);
    };
    match check_session(times, app.now()) {
        SessionCheck::Expired => Ok(None),
        SessionCheck::Valid => Ok(Some((person, hash))),
        SessionCheck::Refresh(times) => {
            repo::accounts::refresh_session(app, &hash, times).await?;
            Ok(Some((person, hash)))
        }
    }
}

/// Who is signed in, and whether they are an instance admin (from `ADMIN_EMAILS`).
pub async fn actor(req: &Req, app: &App) -> Result<(Actor, Option<Person>), ApiError> {
    let person = current(req, app).await?.map(|(person, _)| person);
    let actor = Actor {
        signed_in: person.is_some(),
        instance_admin: person.as_ref().is_some_and(|p| {
            domain::account::is_instance_admin(&p.email, &app.config.admin_emails)
        }),
        donor: false,
    };
    Ok((actor, person))
}

/// The actor with whether they count as a donor (a confirmed gift in the last year, or a
/// monthly gift running), for the actions reserved to donors. One more read, so only there.
pub async fn actor_with_donor(req: &Req, app: &App) -> Result<(Actor, Option<Person>), ApiError> {
    let (mut actor, person) = actor(req, app).await?;
    if let Some(p) = &person {
        let year_ago = domain::donation::donors_since(app.now());
        actor.donor = repo::funding::is_donor(app, &p.id, year_ago).await?;
    }
    Ok((actor, person))
}

/// For an action on the instance itself (not on an element): the person, if the permission
/// rules allow it (401 when signing in could help, 403 otherwise). Reads the donor flag only
/// for the actions reserved to donors.
pub async fn allowed(req: &Req, app: &App, action: Action) -> Result<Option<Person>, ApiError> {
    let (actor, person) = match action.asks_donor() {
        true => actor_with_donor(req, app).await?,
        false => actor(req, app).await?,
    };
    decide(actor, action, Relation::default(), Target::default())?;
    Ok(person)
}
