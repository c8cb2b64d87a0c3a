//! The cooperative space's pages, rendered with the shared templates. The proposal page's forms
//! are plain HTML forms posted back to the page, so amending, voting and checking a receipt
//! work without JavaScript; they go through the same code as the API.

use crate::App;
use crate::handlers::amendments::{add_amendment, vote_on_amendment};
use crate::handlers::ballots::{cast_ballot, receipt_status};
use crate::handlers::pages::{page, render};
use crate::handlers::proposals::{
    detail, eligible_voter, named, open_proposal, participant, proposer,
};
use crate::repo::cooperation as repo;
use crate::request::{MAX_BODY_BYTES, Req};
use crate::respond::{self, Outcome};
use axum::extract::State;
use domain::error::{ApiError, ErrorCode};
use domain::vote::ballot::MotionChoice;
use domain::vote::form::ProposalForm;
use domain::vote::phase::Phase;
use serde_json::{Value, json};
use site::cooperation::{CommunityPage, Notice, ProposalPage, Standing};

/// Each reader's own page: kept nowhere (`no-store`), not even offline.
fn private(result: Outcome) -> Outcome {
    result.and_then(|r| respond::with_header(r, "Cache-Control", "private, no-store"))
}

/// `/cooperation/<community>/`: "instance", or an organization or project.
pub async fn community(State(app): State<App>, req: Req) -> Outcome {
    page(community_for_reader(&app, &req, &req.param("community")).await)
}

async fn community_for_reader(app: &App, req: &Req, community: &str) -> Outcome {
    let (page, _) = community_page(app, community).await?;
    let page = page
        .with_features(funded_features(app, community).await?)
        .for_reader(standing(proposer(req, app, community).await)?);
    private(render(&page, 200))
}

/// What a permission check means for the page: allowed, sign in first, or not here.
fn standing<T>(checked: Result<T, ApiError>) -> Result<Standing, ApiError> {
    match checked {
        Ok(_) => Ok(Standing::Allowed),
        Err(e) if e.code == ErrorCode::NotSignedIn => Ok(Standing::SignIn),
        Err(e) if e.code == ErrorCode::Forbidden => Ok(Standing::Refused),
        Err(e) => Err(e),
    }
}

/// The community's page, and the département whose time its form's dates are in.
async fn community_page(
    app: &App,
    community: &str,
) -> Result<(CommunityPage, Option<String>), ApiError> {
    let (name, departement) = if community == "instance" {
        ("toute l’instance".to_string(), None)
    } else {
        let element = crate::repo::elements::find(app, community)
            .await?
            .filter(|e| e.kind.has_cooperative_space())
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
        (element.name, element.departement)
    };
    let now = app.now();
    let views: Vec<_> = repo::proposals_of(app, community)
        .await?
        .iter()
        .map(|p| p.view(now))
        .collect();
    let page = CommunityPage::new(community, &name, &views).in_departement(departement.as_deref());
    Ok((page, departement))
}

/// The instance's funded features waiting to start, for its budget vote's form.
async fn funded_features(
    app: &App,
    community: &str,
) -> Result<Vec<(String, String, i64)>, ApiError> {
    if community != "instance" {
        return Ok(Vec::new());
    }
    let features = crate::repo::features::features(
        app,
        Some(domain::funding::FeatureStatus::Funded),
        app.now(),
    );
    Ok(features
        .await?
        .into_iter()
        .map(|f| (f.id, f.title, f.goal_cents))
        .collect())
}

/// `POST /cooperation/<community>/`: the form to open a proposal. Opened, the proposal's page
/// (303); refused, the community page again with the error and everything as typed.
pub async fn propose(State(app): State<App>, mut req: Req) -> Outcome {
    let community = req.param("community");
    let fields = match form_fields(&mut req).await {
        Ok(fields) => fields,
        Err(error) => return page(Err(error.into())),
    };
    let form = ProposalForm::from_fields(&fields, community == "instance");
    let (listed, departement) = match community_page(&app, &community).await {
        Ok(found) => found,
        Err(error) => return page(Err(error.into())),
    };
    let opened = async {
        req.check_write()?;
        let input = form.input(&community, departement.as_deref())?;
        open_proposal(&req, &app, input).await
    }
    .await;
    match opened {
        Ok(row) => respond::redirect(&row.view(app.now()).url),
        Err(error) => {
            let features = funded_features(&app, &community).await.unwrap_or_default();
            let reader =
                standing(proposer(&req, &app, &community).await).unwrap_or(Standing::Refused);
            let shown = listed
                .with_error(form, error.code.message(), error.field.as_deref())
                .with_features(features)
                .for_reader(reader);
            page(render(&shown, error.status()))
        }
    }
}

/// A posted form's fields, read within the same 64 KB as any body (413 past it).
async fn form_fields(req: &mut Req) -> Result<Vec<(String, String)>, ApiError> {
    let text = req.file(MAX_BODY_BYTES).await?;
    Ok(form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// `/propositions/<id>/`.
pub async fn proposal(State(app): State<App>, req: Req) -> Outcome {
    let id = req.param("id");
    page(show(&req, &app, &id, Notice::default(), 200, Vec::new()).await)
}

/// The page for its reader: whether they may vote is said before they try. `kept`: a ballot
/// just refused, given back as filled. Each reader's own: kept nowhere (`no-store`), not even offline.
async fn show(
    req: &Req,
    app: &App,
    id: &str,
    notice: Notice,
    status: u16,
    kept: Vec<(String, String)>,
) -> Outcome {
    let row = named(app, id).await?;
    let body = detail(app, &row).await?;
    let standing = standing(eligible_voter(req, app, &row).await)?;
    let eligibility = body.view.eligibility;
    let page = ProposalPage::new(&body, notice).for_reader(standing, eligibility, kept);
    private(render(&page, status))
}

/// `POST /propositions/<id>/`: a form of the page (`action` = voter, amender, amendement, recu).
/// The page comes back with what happened, or with the French error and the form's status.
pub async fn act(State(app): State<App>, mut req: Req) -> Outcome {
    let id = req.param("id");
    let form = match form_fields(&mut req).await {
        Ok(form) => form,
        Err(error) => return page(Err(error.into())),
    };
    let notice = match perform(&req, &app, &id, &form).await {
        Ok(notice) => notice,
        Err(error) if error.code == ErrorCode::NotFound && error.field.is_none() => {
            return page(Err(error.into()));
        }
        Err(error) => {
            let notice = Notice {
                error: Some(error.code.message().to_string()),
                ..Notice::default()
            };
            let kept = form.into_iter().filter(|(k, _)| k != "receipt").collect();
            return page(show(&req, &app, &id, notice, error.status(), kept).await);
        }
    };
    page(show(&req, &app, &id, notice, 200, Vec::new()).await)
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The ballot's JSON from the form's fields, for `check_ballot` to judge.
fn ballot_of(form: &[(String, String)]) -> Value {
    let number = |v: &str| v.parse::<u64>().map_or(Value::Null, Value::from);
    if let Some(choice) = field(form, "choice") {
        return json!({ "choice": choice });
    }
    if let Some(option) = field(form, "option") {
        return json!({ "option": number(option) });
    }
    let grades: Vec<(usize, Value)> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("grade_")?.parse().ok()?, number(v))))
        .collect();
    if !grades.is_empty() {
        let mut sorted = grades;
        sorted.sort_by_key(|g| g.0);
        return json!({ "grades": sorted.into_iter().map(|g| g.1).collect::<Vec<_>>() });
    }
    let approve: Vec<Value> = form
        .iter()
        .filter(|(k, _)| k == "approve")
        .map(|(_, v)| number(v))
        .collect();
    json!({ "approve": approve })
}

async fn perform(
    req: &Req,
    app: &App,
    id: &str,
    form: &[(String, String)],
) -> Result<Notice, ApiError> {
    match field(form, "action").unwrap_or_default() {
        "voter" => {
            let (row, person) = participant(req, app, id, Phase::Voting).await?;
            let receipt = field(form, "receipt").map(str::to_string);
            let answer = cast_ballot(app, &row, &person, &ballot_of(form), receipt).await?;
            let replaced = answer["replaced"] == true;
            Ok(Notice {
                message: Some(
                    if replaced {
                        "Votre bulletin est modifié."
                    } else {
                        "Votre bulletin est compté."
                    }
                    .into(),
                ),
                receipt: answer["receipt"].as_str().map(str::to_string),
                ..Notice::default()
            })
        }
        "amender" => {
            let (row, person) = participant(req, app, id, Phase::Amendable).await?;
            let body = field(form, "body").unwrap_or_default();
            let reason = field(form, "reason").unwrap_or_default();
            add_amendment(app, &row, &person, body, reason).await?;
            Ok(message("Votre amendement est proposé au vote."))
        }
        "amendement" => {
            let (row, person) = participant(req, app, id, Phase::Amendable).await?;
            let choice = match field(form, "choice") {
                Some("for") => MotionChoice::For,
                Some("against") => MotionChoice::Against,
                Some("blank") => MotionChoice::Blank,
                _ => return Err(ApiError::on_field(ErrorCode::InvalidField, "choice")),
            };
            let amendment = field(form, "amendment").unwrap_or_default();
            vote_on_amendment(app, &row, &person, amendment, choice).await?;
            Ok(message("Votre avis sur l’amendement est compté."))
        }
        "recu" => {
            req.check_write()?;
            let row = named(app, id).await?;
            let receipt = field(form, "receipt").unwrap_or_default();
            let status = receipt_status(app, &row, receipt).await?;
            Ok(message(if status["counted"] == true {
                "Ce reçu correspond à un bulletin compté."
            } else {
                "Aucun bulletin compté ne correspond à ce reçu."
            }))
        }
        _ => Err(ApiError::on_field(ErrorCode::InvalidField, "action")),
    }
}

fn message(text: &str) -> Notice {
    Notice {
        message: Some(text.into()),
        ..Notice::default()
    }
}
