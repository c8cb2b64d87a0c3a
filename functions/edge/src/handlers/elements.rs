//! Elements: create, read, update, delete, and the links people make with them.

use crate::repo::elements::{self as store, RelationRow, Write};
use crate::repo::{int, text};
use crate::respond::{self, Outcome};
use crate::{platform, request, session};
use ::store::elements as sql;
use domain::access::{self, Action, Relation, Target};
use domain::element::input::{ElementData, ElementInput};
use domain::element::slug;
use domain::element::view::ElementRow;
use domain::error::{ApiError, ErrorCode};
use domain::profile::Person;
use serde::Deserialize;
use serde_json::json;
use worker::{Env, Request, Response, Result, RouteContext};

/// The element named in the path (id or slug), or 404.
async fn element(ctx: &RouteContext<()>) -> std::result::Result<ElementRow, ApiError> {
    let param = ctx.param("id").cloned().unwrap_or_default();
    // `/api/elements/{id}.geojson` and the like name the element and the export format.
    let (key, _) = domain::export::split_extension(&param);
    store::find(&ctx.env, key)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// The signed-in person allowed to do `action` on `row`, with their relation to it.
async fn allowed(
    req: &Request,
    env: &Env,
    row: Option<&ElementRow>,
    action: Action,
) -> std::result::Result<(Person, RelationRow, bool), ApiError> {
    let (actor, person) = session::actor(req, env).await?;
    let relation = match (&person, row) {
        (Some(person), Some(row)) => store::relation(env, &row.id, &person.id).await?,
        _ => RelationRow::default(),
    };
    let target = Target {
        open_edition: row.is_some_and(|r| r.open_edition != 0),
    };
    let links = Relation {
        element_admin: relation.admin != 0,
        member: relation.member != 0,
    };
    access::decide(actor, action, links, target)?;
    let person = person
        .ok_or_else(|| domain::error::ApiError::new(domain::error::ErrorCode::NotSignedIn))?;
    Ok((
        person,
        relation,
        actor.instance_admin || links.element_admin,
    ))
}

/// Position and geohash: the element's own, else its commune's.
fn place(data: &mut ElementData, placement: &store::Placement) -> Option<String> {
    data.place(placement.lat, placement.lon)
}

async fn read_back(env: &Env, id: &str, status: u16) -> Outcome {
    let row = store::find(env, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    respond::json_status(&row.view(), status)
}

pub async fn create(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let (person, _, _) = allowed(&req, &ctx.env, None, Action::CreateElement).await?;
            let input: ElementInput = request::json(&mut req).await?;
            let mut data = input.apply(None)?;
            let placement = store::placement(&ctx.env, &data).await?;
            let geohash = place(&mut data, &placement);
            let id = format!("e_{}", &platform::token()[..22]);
            let base = slug::base(&data.name);
            let now = platform::now();
            // Two people may take the same slug at once: the loser tries again with a fresh list.
            for attempt in 0..3 {
                let taken = store::taken_slugs(&ctx.env, &base).await?;
                let slug = slug::first_free(&base, &taken);
                let write = Write {
                    id: &id,
                    slug: &slug,
                    data: &data,
                    departement: placement.departement.as_deref(),
                    region: placement.region.as_deref(),
                    geohash: geohash.clone(),
                    creator: Some(&person.id),
                    now,
                };
                match store::create(&ctx.env, &write).await {
                    Err(e) if e.code == ErrorCode::Conflict && attempt < 2 => continue,
                    other => other?,
                }
                break;
            }
            read_back(&ctx.env, &id, 201).await
        }
        .await,
    )
}

/// `GET /api/elements/{id}`, or exported: `.jsonld` (its page's schema.org document),
/// `.geojson`, `.csv` (a one-element collection or table), or by the Accept header.
/// The element in JSON (the front worker serves this one).
pub async fn show_json(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(async { respond::json(&element(&ctx).await?.view()) }.await)
}

pub async fn show(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    use domain::export::Format;
    respond::outcome(
        async {
            let view = element(&ctx).await?.view();
            let offered = domain::export::of_element(&view.kind);
            let format = crate::handlers::export::format_of(&req, offered)?;
            let site = crate::config::from_env(&ctx.env).site_url;
            let body = match format {
                Format::Json => return respond::json(&view),
                Format::JsonLd => domain::element::jsonld::document(&view, &site).to_string(),
                other => {
                    let item = domain::export::item_of(&view);
                    domain::export::items(other, &[item], &site, crate::platform::now())
                }
            };
            crate::handlers::export::answer(format, body)
        }
        .await,
    )
}

pub async fn update(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let row = element(&ctx).await?;
            let (_, _, admin) = allowed(&req, &ctx.env, Some(&row), Action::EditElement).await?;
            let input: ElementInput = request::json(&mut req).await?;
            // Open edition lets anyone edit the content, not decide who may edit or join.
            if !admin && (input.open_edition.is_some() || input.requires_approval.is_some()) {
                return Err(ApiError::new(ErrorCode::Forbidden));
            }
            let mut data = input.apply(Some(&row.data()))?;
            let placement = store::placement(&ctx.env, &data).await?;
            if data.commune_code != row.commune_code && data.lat == row.lat {
                data.lat = None; // moved to another commune without a position: take the new one's
                data.lon = None;
            }
            let geohash = place(&mut data, &placement);
            let write = Write {
                id: &row.id,
                slug: &row.slug,
                data: &data,
                departement: placement.departement.as_deref(),
                region: placement.region.as_deref(),
                geohash,
                creator: None,
                now: platform::now(),
            };
            store::update(&ctx.env, &write).await?;
            crate::back::stale_page(read_back(&ctx.env, &row.id, 200).await?, &row.slug)
        }
        .await,
    )
}

pub async fn delete(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let row = element(&ctx).await?;
            allowed(&req, &ctx.env, Some(&row), Action::DeleteElement).await?;
            store::run(&ctx.env, sql::DELETE, &[text(&row.id)]).await?;
            crate::back::stale_page(respond::no_content()?, &row.slug)
        }
        .await,
    )
}

/// What a person is to an element, as the link endpoints answer.
fn relation_view(relation: &RelationRow) -> serde_json::Value {
    json!({
        "follows": relation.follows != 0,
        "member": relation.member != 0,
        "pending": relation.pending != 0,
        "admin": relation.admin != 0,
    })
}

/// `GET /api/elements/{id}/relation`: what the signed-in person is to the element and may do
/// with it, so that its page offers only the actions the server would allow.
pub async fn relation(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let row = element(&ctx).await?;
            let (actor, person) = session::actor(&req, &ctx.env).await?;
            let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
            let relation = store::relation(&ctx.env, &row.id, &person.id).await?;
            let links = Relation {
                element_admin: relation.admin != 0,
                member: relation.member != 0,
            };
            let target = Target {
                open_edition: row.open_edition != 0,
            };
            let may = |action| access::decide(actor, action, links, target).is_ok();
            let mut view = relation_view(&relation);
            view["can_edit"] = may(Action::EditElement).into();
            view["can_delete"] = may(Action::DeleteElement).into();
            view["can_manage_members"] = may(Action::ManageMembers).into();
            view["updated_at"] = domain::time::rfc3339(row.updated_at).into();
            view["version"] = row.view().version().into();
            respond::json(&view)
        }
        .await,
    )
}

/// Follow, unfollow, join or leave: one statement on (element, person), then the new relation.
async fn link(req: &Request, ctx: &RouteContext<()>, action: Action, sql: &str) -> Outcome {
    request::check_write(req)?;
    let row = element(ctx).await?;
    let (person, _, _) = allowed(req, &ctx.env, Some(&row), action).await?;
    let mut args = vec![text(&row.id), text(&person.id)];
    if sql == sql::JOIN {
        let kind = domain::element::Kind::parse(&row.kind);
        if kind.and_then(|k| k.member_role()).is_none() {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "kind"));
        }
        args.push(int(row.requires_approval));
    }
    if sql == sql::FOLLOW || sql == sql::JOIN {
        args.push(int(platform::now()));
    }
    if sql == sql::LEAVE {
        leave_guard(&ctx.env, &row.id, &person.id).await?;
    }
    store::run(&ctx.env, sql, &args).await?;
    let relation = store::relation(&ctx.env, &row.id, &person.id).await?;
    // Its page shows how many follow and belong: the copy kept at the edge is stale.
    crate::back::stale_page(respond::json(&relation_view(&relation))?, &row.slug)
}

/// The last admin may not leave: an element must keep someone to look after it.
async fn leave_guard(env: &Env, element: &str, person: &str) -> std::result::Result<(), ApiError> {
    let relation = store::relation(env, element, person).await?;
    if relation.admin != 0 && store::other_admins(env, element, person).await? == 0 {
        return Err(ApiError::new(ErrorCode::Conflict));
    }
    Ok(())
}

pub async fn follow(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(link(&req, &ctx, Action::FollowElement, sql::FOLLOW).await)
}

pub async fn unfollow(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(link(&req, &ctx, Action::FollowElement, sql::UNFOLLOW).await)
}

pub async fn join(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(link(&req, &ctx, Action::JoinElement, sql::JOIN).await)
}

pub async fn leave(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(link(&req, &ctx, Action::JoinElement, sql::LEAVE).await)
}

pub async fn members(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let row = element(&ctx).await?;
            allowed(&req, &ctx.env, Some(&row), Action::ManageMembers).await?;
            let members: Vec<serde_json::Value> = store::members(&ctx.env, &row.id)
                .await?
                .into_iter()
                .map(|m| {
                    json!({
                        "person_id": m.person_id,
                        "display_name": m.display_name,
                        "is_admin": m.is_admin != 0,
                        "pending": m.pending != 0,
                        "roles": serde_json::from_str::<Vec<String>>(&m.roles).unwrap_or_default(),
                        "since": domain::time::rfc3339(m.created_at),
                    })
                })
                .collect();
            respond::json(&json!({ "items": members, "next_cursor": null }))
        }
        .await,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberChange {
    person_id: String,
    is_admin: Option<bool>,
    /// `false` approves a pending request.
    pending: Option<bool>,
    roles: Option<Vec<String>>,
}

pub async fn update_member(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let row = element(&ctx).await?;
            allowed(&req, &ctx.env, Some(&row), Action::ManageMembers).await?;
            let change: MemberChange = request::json(&mut req).await?;
            let roles = change
                .roles
                .map(|roles| domain::element::roles(&roles))
                .transpose()?;
            let demoting = change.is_admin == Some(false) || change.pending == Some(true);
            if demoting {
                leave_guard(&ctx.env, &row.id, &change.person_id).await?;
            }
            let roles_json = roles.map(|r| serde_json::to_string(&r).unwrap_or_default());
            let changed = store::update_member(
                &ctx.env,
                &row.id,
                &change.person_id,
                change.is_admin,
                change.pending,
                roles_json.as_deref(),
            )
            .await?;
            if !changed {
                return Err(ApiError::on_field(ErrorCode::NotFound, "person_id"));
            }
            let relation = store::relation(&ctx.env, &row.id, &change.person_id).await?;
            crate::back::stale_page(respond::json(&relation_view(&relation))?, &row.slug)
        }
        .await,
    )
}
