//! `/discussion/?sujet=…`: a target's comments rendered on the server, and plain forms (no
//! JavaScript) that write, answer, correct, delete and report them. Each reader's own page
//! (their tools), kept nowhere.

use crate::handlers::comments::{self, NewComment, Subject};
use crate::handlers::moderation::{Reported, file_report};
use crate::handlers::pages::render;
use crate::request::{MAX_BODY_BYTES, Req};
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::comment::{self as rules, Target};
use domain::error::{ApiError, ErrorCode};
use site::discussion::{CommentItem, DiscussionPage};
use site::pages::Layout;

const PAGE: i64 = 50;

fn private(result: Outcome) -> Outcome {
    result.and_then(|r| respond::with_header(r, "Cache-Control", "private, no-store"))
}

/// The subject the query names; 404 (the French page) when there is none.
async fn subject_of(app: &App, req: &Req) -> Result<Subject, ApiError> {
    let target = Target::parse(&req.query("sujet").unwrap_or_default())
        .map_err(|_| ApiError::new(ErrorCode::NotFound))?;
    comments::subject(app, target).await
}

/// `GET /discussion/?sujet=…`.
pub async fn show(State(app): State<App>, req: Req) -> Outcome {
    let subject = match subject_of(&app, &req).await {
        Ok(subject) => subject,
        Err(error) if error.code == ErrorCode::NotFound => {
            return crate::handlers::pages::not_found();
        }
        Err(error) => return Err(error.into()),
    };
    let done = req.query("fait");
    let notice = DiscussionPage::notice_of(done.as_deref());
    private(page(&app, &req, &subject, notice, None, String::new(), 200).await)
}

/// The page for its reader.
async fn page(
    app: &App,
    req: &Req,
    subject: &Subject,
    notice: Option<&'static str>,
    error: Option<String>,
    kept: String,
    status: u16,
) -> Outcome {
    let after = match req.query("apres") {
        Some(c) => Some(rules::after(&c)?),
        None => None,
    };
    let (rows, next) = comments::page(app, &subject.target, after, PAGE).await?;
    let count = crate::repo::query_first(
        app,
        store::comments::count(&subject.target.as_string()),
        "count",
    )
    .await?
    .map_or(0, |c| c.n);
    let reader = session::current(req, app).await?.map(|(p, _)| p);
    let (admin, looks_after) = match &reader {
        Some(person) => (
            domain::account::is_instance_admin(&person.email, &app.config.admin_emails),
            comments::looks_after(app, subject, &person.id).await?,
        ),
        None => (false, false),
    };
    let now = app.now();
    let flat = rows
        .iter()
        .map(|row| {
            let mine = reader.as_ref().is_some_and(|p| p.id == row.author_id);
            let item = CommentItem {
                id: row.id.clone(),
                author: row
                    .author_name
                    .clone()
                    .unwrap_or_else(|| "Un·e participant·e".into()),
                when: site::labels::local_date(None, &domain::time::rfc3339(row.created_at)),
                html: rules::html(&row.text),
                edited: row.edited_at.is_some(),
                answers_earlier: false,
                text: row.text.clone(),
                can_edit: reader
                    .as_ref()
                    .is_some_and(|p| comments::may_change(row, &p.id, now)),
                can_delete: mine || admin || looks_after,
                replies: Vec::new(),
            };
            (row.reply_to.clone(), item)
        })
        .collect();
    let target = subject.target.as_string();
    let shown = DiscussionPage {
        layout: Layout::at(""),
        title: subject.title.clone(),
        back: subject.page.clone(),
        items: DiscussionPage::threaded(flat),
        count,
        signed_in: reader.is_some(),
        next: next.map(|cursor| format!("/discussion/?sujet={target}&apres={cursor}")),
        target,
        notice,
        error,
        kept,
    };
    render(&shown, status)
}

/// `POST /discussion/?sujet=…`: one of the page's forms (`action`: commenter, modifier,
/// supprimer, signaler, signaler_message). Done: back to the page (303) saying so; refused: the
/// page again with the reason, and the text given back.
pub async fn act(State(app): State<App>, mut req: Req) -> Outcome {
    let subject = match subject_of(&app, &req).await {
        Ok(subject) => subject,
        Err(error) if error.code == ErrorCode::NotFound => {
            return crate::handlers::pages::not_found();
        }
        Err(error) => return Err(error.into()),
    };
    let fields = match req.file(MAX_BODY_BYTES).await {
        Ok(text) => form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect::<Vec<_>>(),
        Err(error) => return refused(&app, &req, &subject, &error, String::new()).await,
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let done = async {
        req.check_write()?;
        let target = subject.target.as_string();
        match field("action").as_str() {
            "commenter" => {
                let asked = NewComment {
                    target: target.clone(),
                    text: field("text"),
                    reply_to: Some(field("reply_to")).filter(|r| !r.is_empty()),
                };
                let row = comments::write(&app, &req, asked).await?;
                Ok(("commente", Some(row.id)))
            }
            "modifier" => {
                let row = mine(&app, &target, &field("id")).await?;
                let person = signed_in(&app, &req).await?;
                if !comments::may_change(&row, &person, app.now()) {
                    return Err(ApiError::new(ErrorCode::Forbidden));
                }
                comments::change(&app, &row, &field("text")).await?;
                Ok(("modifie", Some(row.id)))
            }
            "supprimer" => {
                let row = mine(&app, &target, &field("id")).await?;
                comments::remove(&app, &req, &row).await?;
                Ok(("supprime", None))
            }
            "signaler" => {
                let row = mine(&app, &target, &field("id")).await?;
                let id = row.id.clone();
                file_report(
                    &app,
                    &req,
                    &Reported::Comment {
                        id: row.id,
                        text: row.text,
                    },
                )
                .await?;
                Ok(("signale", Some(id)))
            }
            "signaler_message" => match &subject.target {
                Target::Post(id) => {
                    let post = crate::repo::resolutions::post(&app, id)
                        .await?
                        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
                    file_report(
                        &app,
                        &req,
                        &Reported::Post {
                            id: post.id,
                            text: post.text,
                        },
                    )
                    .await?;
                    Ok(("signale", None))
                }
                _ => Err(ApiError::on_field(ErrorCode::InvalidField, "action")),
            },
            _ => Err(ApiError::on_field(ErrorCode::InvalidField, "action")),
        }
    }
    .await;
    match done {
        Ok((said, anchor)) => {
            let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
            let target = subject.target.as_string();
            respond::redirect(&format!("/discussion/?sujet={target}&fait={said}{anchor}"))
        }
        Err(error) => refused(&app, &req, &subject, &error, field("text")).await,
    }
}

/// The page again, saying why a form was refused, with its text given back.
async fn refused(
    app: &App,
    req: &Req,
    subject: &Subject,
    error: &ApiError,
    kept: String,
) -> Outcome {
    let said = Some(error.code.message().to_string());
    private(page(app, req, subject, None, said, kept, error.status()).await)
}

/// A comment of this discussion, still shown.
async fn mine(app: &App, target: &str, id: &str) -> Result<store::comments::CommentRow, ApiError> {
    let row = comments::shown(app, id).await?;
    match row.target == target {
        true => Ok(row),
        false => Err(ApiError::new(ErrorCode::NotFound)),
    }
}

async fn signed_in(app: &App, req: &Req) -> Result<String, ApiError> {
    session::current(req, app)
        .await?
        .map(|(p, _)| p.id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))
}
