//! The signed-in person, from the session cookie.

use crate::{platform, repo, request};
use domain::account::{SessionCheck, check_session};
use domain::error::ApiError;
use domain::profile::Person;
use worker::{Env, Request};

/// The signed-in person, if the cookie names a live session; slides its expiry when due.
pub async fn current(req: &Request, env: &Env) -> Result<Option<(Person, String)>, ApiError> {
    let Some(token) = request::session_token(req) else {
        return Ok(None);
    };
    let hash = domain::secret::hash(&token);
    let app = crate::host::application(env)?;
    let Some((person, times)) = app::repo::accounts::person_by_session(&app, &hash).await? else {
        return Ok(None);
    };
    match check_session(times, platform::now()) {
        SessionCheck::Expired => Ok(None),
        SessionCheck::Valid => Ok(Some((person, hash))),
        SessionCheck::Refresh(times) => {
            app::repo::accounts::refresh_session(&app, &hash, times).await?;
            Ok(Some((person, hash)))
        }
    }
}

/// The actor the permission rules judge: who is signed in, and whether they are an instance
/// admin (from `ADMIN_EMAILS`).
pub async fn actor(
    req: &Request,
    env: &Env,
) -> Result<(domain::access::Actor, Option<Person>), ApiError> {
    let person = current(req, env).await?.map(|(person, _)| person);
    let admins = crate::config::from_env(env).admin_emails;
    let actor = domain::access::Actor {
        signed_in: person.is_some(),
        instance_admin: person
            .as_ref()
            .is_some_and(|p| domain::account::is_instance_admin(&p.email, &admins)),
        donor: false,
    };
    Ok((actor, person))
}

/// The actor with whether they count as a donor (a confirmed gift in the last year, or a
/// monthly gift running), for the actions reserved to donors. One more read, so only there.
pub async fn actor_with_donor(
    req: &Request,
    env: &Env,
) -> Result<(domain::access::Actor, Option<Person>), ApiError> {
    let (mut actor, person) = actor(req, env).await?;
    if let Some(p) = &person {
        let year_ago = domain::donation::donors_since(platform::now());
        actor.donor = repo::funding::is_donor(env, &p.id, year_ago).await?;
    }
    Ok((actor, person))
}

/// For an action on the instance itself (not on an element): the person, if the permission
/// rules allow it (401 when signing in could help, 403 otherwise). Reads the donor flag only
/// for the actions reserved to donors.
pub async fn allowed(
    req: &Request,
    env: &Env,
    action: domain::access::Action,
) -> Result<Option<Person>, ApiError> {
    use domain::access::{Action, Relation, Target, decide};
    let (actor, person) = match action {
        Action::ProposeFeature => actor_with_donor(req, env).await?,
        _ => actor(req, env).await?,
    };
    decide(actor, action, Relation::default(), Target::default())?;
    Ok(person)
}
