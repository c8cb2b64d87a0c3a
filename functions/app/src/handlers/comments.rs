//! Comments on an element, a proposal or a live post: written by the signed-in (rate-limited
//! like posts), one level of replies, changed by their author for 15 minutes, deleted by their
//! author or the admins of what they are on, reported into the moderation vote. Writing one
//! tells who follows (`notifications`).

use crate::handlers::moderation::{Reported, file_report};
use crate::handlers::notifications::{self, Told};
use crate::repo::{self, query, query_first, run};
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::access::Action;
use domain::comment::{self, Target};
use domain::error::{ApiError, ErrorCode};
use domain::notification::Kind;
use serde::Deserialize;
use serde_json::{Value, json};
use store::comments::CommentRow;

/// What a comment is on, as found: where its discussion is read, what it is called, and the
/// element whose admins look after it (none: the instance's admins).
pub struct Subject {
    pub target: Target,
    pub title: String,
    pub page: String,
    pub element: Option<String>,
}

impl Subject {
    /// The discussion's page.
    pub fn discussion(&self) -> String {
        format!("/discussion/?sujet={}", self.target.as_string())
    }
}

/// The target, found; 404 when it is not there (or hidden).
pub async fn subject(app: &App, target: Target) -> Result<Subject, ApiError> {
    let missing = || ApiError::new(ErrorCode::NotFound);
    match &target {
        Target::Element(id) => {
            let row = repo::elements::find(app, id).await?.ok_or_else(missing)?;
            Ok(Subject {
                title: row.name.clone(),
                page: format!("/e/{}/", row.slug),
                element: Some(row.id),
                target: Target::Element(id.clone()),
            })
        }
        Target::Proposal(id) => {
            let row = repo::cooperation::proposal(app, id)
                .await?
                .ok_or_else(missing)?;
            Ok(Subject {
                title: row.title.clone(),
                page: format!("/propositions/{}/", row.id),
                element: Some(row.community).filter(|c| c != "instance"),
                target: Target::Proposal(id.clone()),
            })
        }
        Target::Post(id) => {
            let row = repo::resolutions::post(app, id)
                .await?
                .filter(|p| p.hidden_at.is_none())
                .ok_or_else(missing)?;
            let excerpt: String = row.text.chars().take(60).collect();
            Ok(Subject {
                title: format!("« {excerpt} »"),
                page: "/live/".into(),
                element: None,
                target: Target::Post(id.clone()),
            })
        }
    }
}

/// A comment as the API shows it: its text, and that text as safe HTML.
pub fn view(row: &CommentRow) -> Value {
    json!({
        "id": row.id,
        "target": row.target,
        "author": {"id": row.author_id, "name": row.author_name},
        "text": row.text,
        "html": comment::html(&row.text),
        "reply_to": row.reply_to,
        "created_at": domain::time::rfc3339(row.created_at),
        "edited_at": row.edited_at.map(domain::time::rfc3339),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub target: String,
    pub text: String,
    #[serde(default)]
    pub reply_to: Option<String>,
}

/// `POST /api/comments`.
pub async fn create(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let asked: NewComment = req.json().await?;
    let row = write(&app, &req, asked).await?;
    respond::json_status(&view(&row), 201)
}

/// Writes a comment for the signed-in person (the API's and the discussion page's form).
pub async fn write(app: &App, req: &Req, asked: NewComment) -> Result<CommentRow, ApiError> {
    let person = session::allowed(req, app, Action::PostNews)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let target = Target::parse(&asked.target)?;
    let text = comment::text(&asked.text)?;
    let subject = subject(app, target).await?;
    let parent = match asked.reply_to.as_deref().filter(|r| !r.is_empty()) {
        Some(id) => Some(
            query_first(app, store::comments::by_id(id), "comment")
                .await?
                .filter(|c| c.hidden_at.is_none())
                .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "reply_to"))?,
        ),
        None => None,
    };
    let found = parent
        .as_ref()
        .map(|p| (p.target.as_str(), p.reply_to.as_deref()));
    if parent.is_some() {
        comment::reply(&subject.target, found)?;
    }
    let now = app.now();
    let limits = [(domain::limits::COMMENTS_PER_PERSON, person.id.as_str())];
    repo::limits::enforce(app, &limits, now).await?;
    let id = format!("c_{}", &app.token()[..20]);
    let target = subject.target.as_string();
    let reply_to = parent.as_ref().map(|p| p.id.as_str());
    let insert = store::comments::insert(&id, &target, &person.id, reply_to, &text, now);
    run(app, insert, "comment").await?;
    let url = format!("{}#{id}", subject.discussion());
    if let Some(parent) = parent.as_ref().filter(|p| p.author_id != person.id) {
        let told = Told {
            kind: Kind::Reply,
            text: format!("Nouvelle réponse à votre commentaire sur {}", subject.title),
            url: url.clone(),
            once: format!("reply:{id}"),
        };
        notifications::to_person(app, &parent.author_id, &told).await;
    }
    if let Some(element) = &subject.element {
        let told = Told {
            kind: Kind::Comment,
            text: format!("Nouveau commentaire sur {}", subject.title),
            url,
            once: format!("comment:{id}"),
        };
        let statement = store::notifications::to_followers(element, &person.id, &told.notice(now));
        notifications::record(app, statement).await;
    }
    query_first(app, store::comments::by_id(&id), "comment")
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))
}

/// `GET /api/comments?target=…`: oldest first, a page at a time.
pub async fn list(State(app): State<App>, req: Req) -> Outcome {
    let target = Target::parse(&req.query("target").unwrap_or_default())?;
    let limit = domain::paging::limit(req.query("limit").as_deref())?;
    let after = req
        .query("cursor")
        .map(|c| comment::after(&c))
        .transpose()?;
    subject(&app, target.clone()).await?;
    let (items, next) = page(&app, &target, after, limit).await?;
    let items: Vec<Value> = items.iter().map(view).collect();
    respond::json(&json!({"items": items, "next_cursor": next}))
}

/// A page of a target's comments and the cursor of the next.
pub async fn page(
    app: &App,
    target: &Target,
    after: Option<i64>,
    limit: i64,
) -> Result<(Vec<CommentRow>, Option<String>), ApiError> {
    let mut rows = query(
        app,
        store::comments::of_target(&target.as_string(), after, limit),
        "comments",
    )
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = more
        .then(|| rows.last().map(|r| r.seq.to_string()))
        .flatten();
    Ok((rows, next))
}

/// The comment named by the path, still shown.
async fn named(app: &App, req: &Req) -> Result<CommentRow, ApiError> {
    shown(app, &req.param("id")).await
}

/// A comment still shown; 404 otherwise.
pub async fn shown(app: &App, id: &str) -> Result<CommentRow, ApiError> {
    query_first(app, store::comments::by_id(id), "comment")
        .await?
        .filter(|c| c.hidden_at.is_none())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    text: String,
}

/// `PATCH /api/comments/{id}`: its author, within 15 minutes (403 after).
pub async fn edit(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let row = named(&app, &req).await?;
    let person = session::allowed(&req, &app, Action::PostNews)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    if !may_change(&row, &person.id, app.now()) {
        return Err(ApiError::new(ErrorCode::Forbidden).into());
    }
    let asked: Edit = req.json().await?;
    change(&app, &row, &asked.text).await?;
    let row = named(&app, &req).await?;
    respond::json(&view(&row))
}

/// Changes a comment's text (its author, within the window: checked by the caller).
pub async fn change(app: &App, row: &CommentRow, text: &str) -> Result<(), ApiError> {
    let text = comment::text(text)?;
    run(
        app,
        store::comments::edit(&row.id, &text, app.now()),
        "comment",
    )
    .await
}

/// Whether `person` wrote `row` and may still change it.
pub fn may_change(row: &CommentRow, person: &str, now: i64) -> bool {
    row.author_id == person && comment::editable(row.created_at, now)
}

/// `DELETE /api/comments/{id}`: its author, the admins of what it is on, or the instance's.
pub async fn delete(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let row = named(&app, &req).await?;
    remove(&app, &req, &row).await?;
    respond::no_content()
}

/// Deletes a comment (and its replies) when the signed-in person may.
pub async fn remove(app: &App, req: &Req, row: &CommentRow) -> Result<(), ApiError> {
    let (person, admin) = session::current(req, app)
        .await?
        .map(|(p, _)| {
            let admin = domain::account::is_instance_admin(&p.email, &app.config.admin_emails);
            (p, admin)
        })
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let mut may = admin || person.id == row.author_id;
    if !may {
        let subject = subject(app, Target::parse(&row.target)?).await?;
        if let Some(element) = &subject.element {
            let admins = query(
                app,
                store::comments::admins_of(element, &person.id),
                "admins",
            );
            may = store::db::Count::any(&admins.await?);
        }
    }
    if !may {
        return Err(ApiError::new(ErrorCode::Forbidden));
    }
    run(app, store::comments::delete(&row.id), "comment").await
}

/// Whether `person` is an admin of the element a subject is on (its comments are theirs to
/// delete).
pub async fn looks_after(app: &App, subject: &Subject, person: &str) -> Result<bool, ApiError> {
    let Some(element) = &subject.element else {
        return Ok(false);
    };
    let admins = query(app, store::comments::admins_of(element, person), "admins").await?;
    Ok(store::db::Count::any(&admins))
}

/// `POST /api/comments/{id}/reports`.
pub async fn report(State(app): State<App>, req: Req) -> Outcome {
    let row = named(&app, &req).await?;
    let reported = Reported::Comment {
        id: row.id,
        text: row.text,
    };
    let (reports, motion) = file_report(&app, &req, &reported).await?;
    respond::json_status(&json!({"reports": reports, "motion": motion}), 201)
}
