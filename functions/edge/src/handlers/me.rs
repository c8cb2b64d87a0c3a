//! The signed-in person's own account: read, change, export, erase.

use crate::respond::{self, Outcome};
use crate::{platform, repo, request, session};
use domain::access::{self, Action};
use domain::account;
use domain::profile::{Person, ProfilePatch};
use serde_json::json;
use worker::{Env, Request, Response, Result, RouteContext};

/// The signed-in person, once the permission rules agree they may manage their account.
async fn owner(
    req: &Request,
    env: &Env,
) -> std::result::Result<(Person, String, bool), domain::error::ApiError> {
    let found = session::current(req, env).await?;
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
    let (person, session) =
        found.ok_or_else(|| domain::error::ApiError::new(domain::error::ErrorCode::NotSignedIn))?;
    let admin =
        account::is_instance_admin(&person.email, &crate::config::from_env(env).admin_emails);
    Ok((person, session, admin))
}

pub async fn show(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let (person, _, admin) = owner(&req, &ctx.env).await?;
            respond::json(&person.me_view(admin))
        }
        .await,
    )
}

pub async fn update(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(change(&mut req, &ctx).await)
}

async fn change(req: &mut Request, ctx: &RouteContext<()>) -> Outcome {
    request::check_write(req)?;
    let (mut person, _, admin) = owner(req, &ctx.env).await?;
    let patch: ProfilePatch = request::json(req).await?;
    person.profile = patch.apply(person.profile)?;
    // A home scope of the right shape must also be a zone that exists.
    if let Some(scope) = &person.profile.home_scope
        && repo::zones::by_id(&ctx.env, scope).await?.is_none()
    {
        return Err(domain::error::ApiError::on_field(
            domain::error::ErrorCode::UnknownZone,
            "home_scope",
        ));
    }
    person.updated_at = platform::now();
    repo::accounts::update_profile(&ctx.env, &person.id, &person.profile, person.updated_at)
        .await?;
    respond::json(&person.me_view(admin))
}

/// `GET /api/me/links`: the elements the person follows, belongs to, looks after or asked to
/// join.
pub async fn links(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let (person, _, _) = owner(&req, &ctx.env).await?;
            let items: Vec<domain::space::MyLink> = repo::elements::links_of(&ctx.env, &person.id)
                .await?
                .into_iter()
                .map(Into::into)
                .collect();
            respond::json(&json!({ "items": items, "next_cursor": null }))
        }
        .await,
    )
}

/// `GET /api/me/proposals`: the open proposals of the person's communities, each saying
/// whether they may vote on it.
pub async fn proposals(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let (person, _, admin) = owner(&req, &ctx.env).await?;
            let now = platform::now();
            let year_ago = domain::donation::donors_since(now);
            let rows = repo::cooperation::open_for(&ctx.env, &person.id, now).await?;
            let voter = domain::vote::proposal::Voter {
                signed_in: true,
                member: true,
                donor: repo::funding::is_donor(&ctx.env, &person.id, year_ago).await?,
                instance_admin: admin,
            };
            let items = domain::space::open_proposals(&rows, now, voter);
            respond::json(&json!({ "items": items, "next_cursor": null }))
        }
        .await,
    )
}

/// `GET /api/me/export`: every piece of data held about the person, as one JSON file.
pub async fn export(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let (person, _, admin) = owner(&req, &ctx.env).await?;
            let records = repo::accounts::records_of(&ctx.env, &person).await?;
            let response = respond::json(&json!({
                "exported_at": domain::time::rfc3339(platform::now()),
                "person": person.me_view(admin),
                "records": records,
            }))?;
            respond::with_header(
                response,
                "Content-Disposition",
                "attachment; filename=\"communs-mes-donnees.json\"",
            )
        }
        .await,
    )
}

/// `DELETE /api/me`: erases the account and everything that hangs on it.
pub async fn erase(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let (person, _, _) = owner(&req, &ctx.env).await?;
            let counter = domain::limits::SIGN_IN_PER_EMAIL.counter(&person.email, platform::now());
            repo::accounts::erase(&ctx.env, &person.id, &[counter.key]).await?;
            respond::with_session_cookies(respond::no_content()?, None)
        }
        .await,
    )
}
