//! The cooperative space: proposals opened in a community, amended (`amendments`), voted on
//! openly or in secret, with receipts (`ballots`), and closed with a resolution
//! (`resolutions`). Every read first brings the proposal up to the clock (due amendments
//! decided, a finished vote closed), so that no answer waits for the scheduled run.

use crate::repo::cooperation as repo;
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::access::{self, Action, Relation, Target};
use domain::error::{ApiError, ErrorCode};
use domain::vote::ballot::Ballot;
use domain::vote::detail::{AmendmentStatus, AmendmentView, ProposalDetail, VersionView};
use domain::vote::phase::Phase;
use domain::vote::proposal::{MAX_OPTIONS, ProposalInput};
use domain::vote::resolution::resolve;
use domain::vote::view::{ProposalRow, amendment_adopted};
use serde_json::{Value, json};

/// The proposal named in the path, brought up to the clock, or 404.
pub async fn named(app: &App, id: &str) -> Result<ProposalRow, ApiError> {
    let row = repo::proposal(app, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    settle(app, row, app.now()).await
}

/// Decides the amendments whose phase ended (in the order they came, adopted ones folded into
/// the text) and closes a vote that ended. Safe to run twice: each step is a compare-and-set.
pub async fn settle(app: &App, row: ProposalRow, now: i64) -> Result<ProposalRow, ApiError> {
    let amendments_due = row.schedule().amendments_due(now) == Some(true);
    let closing = row.closed_at.is_none() && now >= row.vote_until;
    if !amendments_due && !closing {
        return Ok(row);
    }
    if amendments_due {
        decide_amendments(app, &row, now).await?;
    }
    if closing {
        let resolution = resolve(
            &row.question(),
            row.rules(),
            repo::eligible(app, &row, domain::donation::donors_since(now)).await?,
            &ballots(app, &row.id).await?,
        );
        let text = serde_json::to_string(&resolution).unwrap_or_default();
        if repo::close(app, &row.id, &text, now).await? {
            crate::handlers::notifications::vote_closed(app, &row, now).await;
            crate::handlers::resolutions::carry_out(app, &row, &resolution, now).await?;
        }
    }
    repo::proposal(app, &row.id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

/// Each amendment still open is adopted or refused by its votes.
async fn decide_amendments(app: &App, row: &ProposalRow, now: i64) -> Result<(), ApiError> {
    let majority = row.rules().majority_percent;
    for a in repo::amendments(app, &row.id).await? {
        if a.status == AmendmentStatus::Open {
            let count = |n: i64| n.max(0) as u64;
            let adopted = amendment_adopted(
                count(a.in_favour),
                count(a.against),
                count(a.blank),
                majority,
            );
            repo::decide_amendment(app, &row.id, &a.id, adopted, now).await?;
        }
    }
    Ok(())
}

async fn ballots(app: &App, id: &str) -> Result<Vec<Ballot>, ApiError> {
    Ok(repo::contents(app, id)
        .await?
        .iter()
        .filter_map(|c| serde_json::from_str(c).ok())
        .collect())
}

/// The proposal with its text's versions, its amendments, and its tallies when they may be seen.
pub async fn detail(app: &App, row: &ProposalRow) -> Result<ProposalDetail, ApiError> {
    let now = app.now();
    let view = row.view(now);
    let versions = repo::versions(app, &row.id)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            body: v.body,
            amendment_id: v.amendment_id,
            at: domain::time::rfc3339(v.at),
        })
        .collect();
    let amendments = repo::amendments(app, &row.id)
        .await?
        .into_iter()
        .map(|a| AmendmentView {
            id: a.id,
            body: a.body,
            reason: a.reason,
            status: a.status,
            in_favour: a.in_favour,
            against: a.against,
            blank: a.blank,
            created_at: domain::time::rfc3339(a.created_at),
        })
        .collect();
    let actions = crate::repo::resolutions::actions(app, &row.id).await?;
    let results = match (&view.resolution, row.results_visible(now)) {
        (_, false) => None,
        (None, true) => {
            let eligible = repo::eligible(app, row, domain::donation::donors_since(now)).await?;
            let live = resolve(
                &row.question(),
                row.rules(),
                eligible,
                &ballots(app, &row.id).await?,
            );
            Some(live.results(&row.option_names()))
        }
        (Some(recorded), true) => Some(recorded.results(&row.option_names())),
    };
    Ok(ProposalDetail {
        view,
        versions,
        amendments,
        actions,
        results,
        you_took_part: None,
    })
}

/// Whether the signed-in person may vote and amend here, decided now (401 / 403).
pub async fn eligible_voter(req: &Req, app: &App, row: &ProposalRow) -> Result<String, ApiError> {
    let (actor, person) = session::actor_with_donor(req, app).await?;
    let links = match (&person, row.community.as_str()) {
        (_, "instance") => Relation::instance(person.is_some()),
        (Some(p), element) => crate::repo::elements::relation(app, element, &p.id)
            .await?
            .links(),
        (None, _) => Relation::default(),
    };
    access::decide(
        actor,
        Action::Vote(row.eligibility),
        links,
        Target::default(),
    )?;
    person
        .map(|p| p.id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))
}

/// For a write by a voter: the proposal named in the path, in the phase the write needs
/// (amendments taken, for `Amendable`), and the person, if they may vote here (401 / 403;
/// 409 in another phase).
pub async fn participant(
    req: &Req,
    app: &App,
    id: &str,
    phase: Phase,
) -> Result<(ProposalRow, String), ApiError> {
    req.check_write()?;
    let row = named(app, id).await?;
    let person = eligible_voter(req, app, &row).await?;
    let now = app.now();
    let open = match phase {
        Phase::Amendable => row.schedule().accepts_amendments(now),
        _ => row.phase(now) == phase,
    };
    if !open {
        return Err(ApiError::on_field(ErrorCode::Conflict, "phase"));
    }
    Ok((row, person))
}

/// `POST /api/proposals`: in the instance (donors and admins) or in an organization's or
/// project's space (its members and admins).
pub async fn create(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let input = req.json::<ProposalInput>().await?;
    let row = open_proposal(&req, &app, input).await?;
    respond::json_status(&detail(&app, &row).await?, 201)
}

/// Opens a proposal asked by the person signed in, if they may open one in its community
/// (the API and the community page's form both come here).
pub async fn open_proposal(
    req: &Req,
    app: &App,
    input: ProposalInput,
) -> Result<ProposalRow, ApiError> {
    let now = app.now();
    let mut features = Vec::new();
    for id in input.feature_ids.iter().take(MAX_OPTIONS + 1) {
        if let Some(feature) = crate::repo::features::feature(app, id).await? {
            features.push(feature.budget_feature(now));
        }
    }
    let asked = input.check(now, &features)?;
    let person = proposer(req, app, &asked.community).await?;
    let id = format!("pr_{}", &app.token()[..16]);
    repo::insert(
        app,
        &id,
        &asked,
        Some(&person.id),
        store::cooperation::About::Nothing,
        now,
    )
    .await?;
    named(app, &id).await
}

/// Who may open a proposal in a community: the instance's donors and admins, an organization's
/// or project's members and admins (401 / 403; 400 for a community that has no space).
pub async fn proposer(
    req: &Req,
    app: &App,
    community: &str,
) -> Result<domain::profile::Person, ApiError> {
    let person = if community == "instance" {
        session::allowed(req, app, Action::ProposeInInstance).await?
    } else {
        let element = crate::repo::elements::find(app, community)
            .await?
            .filter(|e| e.kind.has_cooperative_space())
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "community"))?;
        let (actor, person) = session::actor(req, app).await?;
        let relation = match &person {
            Some(p) => crate::repo::elements::relation(app, &element.id, &p.id).await?,
            None => Default::default(),
        };
        let links = relation.links();
        access::decide(actor, Action::ProposeInElement, links, Target::default())?;
        person
    };
    person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))
}

/// `GET /api/proposals?community=&phase=` (the instance's by default; open ones first, the
/// nearest deadline first; the 200 latest).
pub async fn list(State(app): State<App>, req: Req) -> Outcome {
    let community = req.query("community").unwrap_or_else(|| "instance".into());
    let phase = match req.query("phase") {
        None => None,
        Some(p) => Some(
            serde_json::from_value::<Phase>(Value::String(p))
                .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "phase"))?,
        ),
    };
    let now = app.now();
    let items: Vec<_> = repo::proposals_of(&app, &community)
        .await?
        .iter()
        .map(|p| p.view(now))
        .filter(|v| phase.is_none_or(|p| p == v.phase))
        .collect();
    respond::json(&json!({"items": items, "next_cursor": null}))
}

/// `GET /api/proposals/{id}`; for a signed-in person, also whether they took part.
pub async fn show(State(app): State<App>, req: Req) -> Outcome {
    let row = named(&app, &req.param("id")).await?;
    let mut body = detail(&app, &row).await?;
    if let (_, Some(person)) = session::actor(&req, &app).await? {
        body.you_took_part = Some(repo::took_part(&app, &row.id, &person.id).await?);
    }
    respond::json(&body)
}

/// The scheduled run: decide due amendments and close finished votes.
pub async fn scheduled(app: &App) -> Result<(), ApiError> {
    let now = app.now();
    for row in repo::due_to_close(app, now).await? {
        settle(app, row, now).await?;
    }
    Ok(())
}
