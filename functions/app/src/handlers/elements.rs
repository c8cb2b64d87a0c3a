//! Elements: create, read, update, delete, and the links people make with them.

use crate::handlers::export::{answer, format_of};
use crate::repo::elements::{self as store, LinkChange, RelationRow, Write};
use crate::request::Req;
use crate::respond::{self, Outcome, stale_page};
use crate::{App, session};
use axum::extract::State;
use domain::access::{self, Action, Target};
use domain::element::input::{ElementData, ElementInput};
use domain::element::slug;
use domain::element::view::ElementRow;
use domain::error::{ApiError, ErrorCode};
use domain::export::Format;
use domain::profile::Person;
use serde::Deserialize;
use serde_json::json;

/// The element the path names (`{id}`: its id or its slug, maybe with a format's extension);
/// 404 when there is none.
pub async fn element(app: &App, req: &Req) -> Result<ElementRow, ApiError> {
    let param = req.param("id");
    // `/api/elements/{id}.geojson` and the like name the element and the export format.
    let (key, _) = domain::export::split_extension(&param);
    store::find(app, key)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// The signed-in person allowed to do `action` on `row` (`access::decide`).
pub async fn allowed(
    app: &App,
    req: &Req,
    row: Option<&ElementRow>,
    action: Action,
) -> Result<Person, ApiError> {
    let (actor, person) = session::actor(req, app).await?;
    let relation = match (&person, row) {
        (Some(person), Some(row)) => store::relation(app, &row.id, &person.id).await?,
        _ => RelationRow::default(),
    };
    let target = Target {
        open_edition: row.is_some_and(|r| r.open_edition),
    };
    let links = relation.links();
    access::decide(actor, action, links, target)?;
    person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))
}

/// Position and geohash: the element's own, else its commune's.
fn place(data: &mut ElementData, placement: &store::Placement) -> Option<String> {
    data.place(placement.lat, placement.lon)
}

async fn read_back(app: &App, id: &str, status: u16) -> Outcome {
    let row = store::find(app, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    respond::json_status(&row.view(), status)
}

pub async fn create(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let person = allowed(&app, &req, None, Action::CreateElement).await?;
    let input: ElementInput = req.json().await?;
    let mut data = input.apply(None)?;
    let placement = store::placement(&app, &data).await?;
    let geohash = place(&mut data, &placement);
    let id = format!("e_{}", &app.token()[..22]);
    let base = slug::base(&data.name);
    let now = app.now();
    // Two people may take the same slug at once: the loser tries again with a fresh list.
    let mut slug = String::new();
    for attempt in 0..3 {
        let taken = store::taken_slugs(&app, &base).await?;
        slug = slug::first_free(&base, &taken);
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
        match store::create(&app, &write).await {
            Err(e) if e.code == ErrorCode::Conflict && attempt < 2 => continue,
            other => other?,
        }
        break;
    }
    if data.kind == Some(domain::element::Kind::Event) {
        tell_residents(&app, &id, &slug, &data, &person.id, now).await;
    }
    read_back(&app, &id, 201).await
}

/// A new event is told to those whose profile says they live in its commune.
async fn tell_residents(
    app: &App,
    id: &str,
    slug: &str,
    data: &ElementData,
    author: &str,
    now: i64,
) {
    let told = crate::handlers::notifications::Told {
        kind: domain::notification::Kind::Event,
        text: format!("Nouvel événement près de chez vous : {}", data.name),
        url: format!("/e/{slug}/"),
        once: format!("event:{id}"),
    };
    let zone = format!("commune:{}", data.commune_code);
    let statement = ::store::notifications::to_residents(&zone, author, &told.notice(now));
    crate::handlers::notifications::record(app, statement).await;
}

/// The element in JSON (the Workers front serves this one).
pub async fn show_json(State(app): State<App>, req: Req) -> Outcome {
    if !crate::handlers::export::asks_json(&req, domain::export::DIRECTORY) {
        return Ok(respond::unrouted());
    }
    respond::json(&element(&app, &req).await?.view())
}

/// `GET /api/elements/{id}`, or exported: `.jsonld` (its page's schema.org document),
/// `.geojson`, `.csv` (a one-element collection or table), or by the Accept header.
pub async fn show(State(app): State<App>, req: Req) -> Outcome {
    let view = element(&app, &req).await?.view();
    let format = format_of(&req, domain::export::of_element(view.kind))?;
    let site = &app.config.site_url;
    let body = match format {
        Format::Json => return respond::json(&view),
        Format::JsonLd => domain::element::jsonld::document(&view, site).to_string(),
        other => {
            let item = domain::export::item_of(&view);
            domain::export::items(other, &[item], site, app.now())
        }
    };
    answer(format, body)
}

pub async fn update(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let row = element(&app, &req).await?;
    allowed(&app, &req, Some(&row), Action::EditElement).await?;
    let input: ElementInput = req.json().await?;
    // Open edition lets anyone edit the content, not decide who may edit or join.
    if input.changes_policy() {
        allowed(&app, &req, Some(&row), Action::ChangeElementPolicy).await?;
    }
    let before = row.data();
    let mut data = input.apply(Some(&before))?;
    data.moved_from(&before);
    let placement = store::placement(&app, &data).await?;
    let geohash = place(&mut data, &placement);
    let write = Write {
        id: &row.id,
        slug: &row.slug,
        data: &data,
        departement: placement.departement.as_deref(),
        region: placement.region.as_deref(),
        geohash,
        creator: None,
        now: app.now(),
    };
    store::update(&app, &write).await?;
    stale_page(read_back(&app, &row.id, 200).await?, &row.slug)
}

pub async fn delete(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let row = element(&app, &req).await?;
    allowed(&app, &req, Some(&row), Action::DeleteElement).await?;
    // Its pictures' files first: a failure leaves the element whole, to be deleted again.
    let pictures = crate::handlers::pictures::of_element(&app, &row.id).await?;
    let gone = crate::handlers::pictures::remove_all(&app, &pictures).await?;
    store::delete(&app, &row.id).await?;
    respond::stale_media(stale_page(respond::no_content()?, &row.slug)?, &gone)
}

/// What a person is to an element, as the link endpoints answer.
fn relation_view(relation: &RelationRow) -> serde_json::Value {
    json!({
        "follows": relation.follows,
        "member": relation.member,
        "pending": relation.pending,
        "admin": relation.admin,
    })
}

/// `GET /api/elements/{id}/relation`: what the signed-in person is to the element and may do
/// with it, so that its page offers only the actions the server would allow.
pub async fn relation(State(app): State<App>, req: Req) -> Outcome {
    let row = element(&app, &req).await?;
    let (actor, person) = session::actor(&req, &app).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let relation = store::relation(&app, &row.id, &person.id).await?;
    let links = relation.links();
    let target = Target {
        open_edition: row.open_edition,
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

/// Follow, unfollow, join or leave: one statement on (element, person), then the new relation.
async fn link(app: &App, req: &Req, action: Action, change: LinkChange) -> Outcome {
    req.check_write()?;
    let row = element(app, req).await?;
    let person = allowed(app, req, Some(&row), action).await?;
    let change = match change {
        LinkChange::Join { .. } => {
            if row.kind.member_role().is_none() {
                return Err(ApiError::on_field(ErrorCode::InvalidField, "kind").into());
            }
            LinkChange::Join {
                requires_approval: row.requires_approval,
            }
        }
        other => other,
    };
    let wrote = store::link(app, &row.id, &person.id, change, app.now()).await?;
    let relation = store::relation(app, &row.id, &person.id).await?;
    if change == LinkChange::Leave {
        domain::element::after_leave(wrote, relation.membership())?;
    }
    // Its page shows how many follow and belong: the copy kept at the edge is stale.
    stale_page(respond::json(&relation_view(&relation))?, &row.slug)
}

pub async fn follow(State(app): State<App>, req: Req) -> Outcome {
    link(&app, &req, Action::FollowElement, LinkChange::Follow).await
}

pub async fn unfollow(State(app): State<App>, req: Req) -> Outcome {
    link(&app, &req, Action::FollowElement, LinkChange::Unfollow).await
}

pub async fn join(State(app): State<App>, req: Req) -> Outcome {
    let asked = LinkChange::Join {
        requires_approval: false,
    };
    link(&app, &req, Action::JoinElement, asked).await
}

pub async fn leave(State(app): State<App>, req: Req) -> Outcome {
    link(&app, &req, Action::JoinElement, LinkChange::Leave).await
}

pub async fn members(State(app): State<App>, req: Req) -> Outcome {
    let row = element(&app, &req).await?;
    allowed(&app, &req, Some(&row), Action::ManageMembers).await?;
    let members: Vec<serde_json::Value> = store::members(&app, &row.id)
        .await?
        .into_iter()
        .map(|m| {
            json!({
                "person_id": m.person_id,
                "display_name": m.display_name,
                "is_admin": m.is_admin,
                "pending": m.pending,
                "roles": serde_json::from_str::<Vec<String>>(&m.roles).unwrap_or_default(),
                "since": domain::time::rfc3339(m.created_at),
            })
        })
        .collect();
    respond::json(&json!({ "items": members, "next_cursor": null }))
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

pub async fn update_member(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let row = element(&app, &req).await?;
    allowed(&app, &req, Some(&row), Action::ManageMembers).await?;
    let change: MemberChange = req.json().await?;
    let roles = change
        .roles
        .map(|roles| domain::element::roles(&roles))
        .transpose()?;
    let roles_json = roles.map(|r| serde_json::to_string(&r).unwrap_or_default());
    let changed = store::update_member(
        &app,
        &row.id,
        &change.person_id,
        change.is_admin,
        change.pending,
        roles_json.as_deref(),
    )
    .await?;
    let relation = store::relation(&app, &row.id, &change.person_id).await?;
    domain::element::after_member_change(changed, relation.membership())?;
    if change.pending == Some(false) && relation.member {
        let told = crate::handlers::notifications::Told {
            kind: domain::notification::Kind::Membership,
            text: format!("Votre demande d’adhésion à {} est acceptée", row.name),
            url: format!("/e/{}/", row.slug),
            once: format!("membership:{}", row.id),
        };
        crate::handlers::notifications::to_person(&app, &change.person_id, &told).await;
    }
    stale_page(respond::json(&relation_view(&relation))?, &row.slug)
}
