//! What follows a vote: an adopted resolution is carried out (a moderation motion hides its
//! post; the instance's budget vote starts its winning features, with the money allocated in
//! the ledger) and carries actions with contributors. And moderation's entry: reports of a post,
//! the third of which opens an automatic motion.

use crate::repo::cooperation as repo;
use crate::repo::features::{self as features, batch, run};
use crate::repo::funding::{Movement, commit_retrying};
use crate::repo::{first, int, text};
use crate::respond;
use crate::{platform, request, session};
use domain::access::Action;
use domain::donation::Payment;
use domain::error::{ApiError, ErrorCode};
use domain::ledger::EntryKind;
use domain::vote::method::Method;
use domain::vote::phase::ProposalSchedule;
use domain::vote::proposal::{Eligibility, ProposalRequest};
use domain::vote::resolution::{Outcome, Resolution};
use domain::vote::rules::Rules;
use domain::vote::view::ProposalRow;
use serde::Deserialize;
use serde_json::json;
use store::cooperation as sql;
use worker::{Env, Request, Response, Result, RouteContext};

/// Reports that open a moderation motion.
pub const REPORTS_FOR_MOTION: i64 = 3;
/// How long a moderation motion lasts: about two days.
const MOTION_SECS: i64 = 48 * 3600;

/// Carries out a resolution just recorded (once: the caller closed it).
pub async fn carry_out(
    env: &Env,
    row: &ProposalRow,
    resolution: &Resolution,
    now: i64,
) -> std::result::Result<(), ApiError> {
    if resolution.outcome != Outcome::Adopted {
        return Ok(());
    }
    if let Some(post) = &row.about_post {
        run(env, sql::HIDE_POST, &[text(post), int(now)], "hide post").await?;
    }
    let budget = Method::parse(&row.method) == Some(Method::Budget);
    if budget && row.community == "instance" {
        let options = row.options();
        for winner in &resolution.winners {
            let Some(option) = options.get(*winner) else {
                continue;
            };
            let Some(feature) = option.feature_id.as_deref() else {
                continue;
            };
            start_feature(env, &row.id, feature, option.cost_cents.unwrap_or(0), now).await?;
        }
    }
    Ok(())
}

/// A winning feature, funded and waiting, starts; the general fund's allocation is entered.
async fn start_feature(
    env: &Env,
    proposal: &str,
    feature: &str,
    cost_cents: i64,
    now: i64,
) -> std::result::Result<(), ApiError> {
    let Some(row) = features::feature(env, feature).await? else {
        return Ok(());
    };
    if row.status != "funded" || !features::steer(env, &row, "in_progress", None, now).await? {
        return Ok(());
    }
    let movement = Movement {
        kind: EntryKind::Allocation,
        reference: row.reference(),
        payment: Payment {
            amount_cents: cost_cents,
            currency: row.currency.clone(),
            source: format!("allocation:{proposal}:{feature}"),
        },
    };
    commit_retrying(env, &[], &[movement], now).await
}

#[derive(Deserialize)]
struct PostRow {
    id: String,
    text: String,
    hidden_at: Option<i64>,
}

/// `POST /api/posts/{id}/reports`: one report per person; the third opens a secret motion
/// (75 %, about two days) to hide the post, in the instance's space.
pub async fn report(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let person = session::allowed(&req, &ctx.env, Action::PostNews)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
            let id = ctx.param("id").cloned().unwrap_or_default();
            let post: PostRow = first(&ctx.env, sql::POST_BY_ID, &[text(&id)], "post")
                .await?
                .filter(|p: &PostRow| p.hidden_at.is_none())
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let now = platform::now();
            let args = [text(&post.id), text(&person.id), int(now)];
            run(&ctx.env, sql::REPORT_POST, &args, "report").await?;
            #[derive(Deserialize)]
            struct Count {
                n: i64,
            }
            let reports = first::<Count>(&ctx.env, sql::REPORTS_OF, &[text(&post.id)], "reports")
                .await?
                .map_or(0, |c| c.n);
            let mut motion = None;
            if reports >= REPORTS_FOR_MOTION {
                motion = Some(open_motion(&ctx.env, &post, now).await?);
            }
            respond::json_status(&json!({"reports": reports, "motion": motion}), 201)
        }
        .await,
    )
}

/// The moderation motion about a post: opened once (a unique key on the post), whoever's
/// report crossed the line.
async fn open_motion(env: &Env, post: &PostRow, now: i64) -> std::result::Result<String, ApiError> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    if let Some(existing) = first::<Id>(env, sql::MOTION_ABOUT, &[text(&post.id)], "motion").await?
    {
        return Ok(existing.id);
    }
    let excerpt: String = post.text.chars().take(60).collect();
    let request = ProposalRequest {
        community: "instance".into(),
        title: format!("Masquer le message « {excerpt} » ?"),
        body: post.text.clone(),
        tags: vec!["modération".into()],
        question: domain::vote::method::Question::Motion,
        options: Vec::new(),
        budget_cents: None,
        rules: Rules {
            majority_percent: 75,
            quorum_percent: 0,
        },
        eligibility: Eligibility::Verified,
        secret: true,
        changeable: false,
        schedule: ProposalSchedule {
            amend_until: None,
            vote_from: now,
            vote_until: now + MOTION_SECS,
        },
    };
    let id = format!("pr_{}", &platform::token()[..16]);
    // A concurrent report may have opened it a moment ago: then its id is the answer.
    if repo::insert(env, &id, &request, None, Some(&post.id), now)
        .await
        .is_err()
    {
        return first::<Id>(env, sql::MOTION_ABOUT, &[text(&post.id)], "motion")
            .await?
            .map(|m| m.id)
            .ok_or_else(|| ApiError::new(ErrorCode::Unavailable));
    }
    Ok(id)
}

#[derive(Deserialize)]
struct ActionRow {
    id: String,
    proposal_id: String,
}

/// The community's admins (the instance's, or the element's) and the proposal's author steer
/// its actions.
async fn may_steer(
    req: &Request,
    env: &Env,
    row: &ProposalRow,
) -> std::result::Result<String, ApiError> {
    let (actor, person) = session::actor(req, env).await?;
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let element_admin = match row.community.as_str() {
        "instance" => false,
        element => {
            crate::repo::elements::relation(env, element, &person.id)
                .await?
                .admin
                != 0
        }
    };
    let author = row.author_id.as_deref() == Some(person.id.as_str());
    if actor.instance_admin || element_admin || author {
        Ok(person.id)
    } else {
        Err(ApiError::new(ErrorCode::Forbidden))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionInput {
    title: String,
}

/// `POST /api/proposals/{id}/actions {"title"}`: what an adopted resolution commits to.
pub async fn add_action(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let id = ctx.param("id").cloned().unwrap_or_default();
            let row = repo::proposal(&ctx.env, &id)
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            may_steer(&req, &ctx.env, &row).await?;
            let adopted = row
                .resolution
                .as_deref()
                .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
                .is_some_and(|r| r["outcome"] == "adopted");
            if !adopted {
                return Err(ApiError::on_field(ErrorCode::Conflict, "resolution"));
            }
            let title = request::json::<ActionInput>(&mut req).await?.title;
            let title = title.trim();
            if !(3..=200).contains(&title.chars().count()) {
                return Err(ApiError::on_field(ErrorCode::InvalidField, "title"));
            }
            let action = format!("ac_{}", &platform::token()[..16]);
            let args = vec![
                text(&action),
                text(&row.id),
                text(title),
                int(platform::now()),
            ];
            batch(&ctx.env, &[(sql::INSERT_ACTION, args)], "action").await?;
            respond::json_status(
                &json!({"id": action, "title": title, "status": "todo"}),
                201,
            )
        }
        .await,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionPatch {
    status: Option<String>,
    /// Join the action as a contributor.
    contribute: Option<bool>,
}

/// `PATCH /api/actions/{id} {"status"?, "contribute"?}`: its admins move it along (todo,
/// in_progress, done); anyone signed in may join it as a contributor.
pub async fn update_action(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let id = ctx.param("id").cloned().unwrap_or_default();
            let action: ActionRow = first(&ctx.env, sql::ACTION_BY_ID, &[text(&id)], "action")
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let patch = request::json::<ActionPatch>(&mut req).await?;
            let now = platform::now();
            if let Some(status) = patch.status.as_deref() {
                if !matches!(status, "todo" | "in_progress" | "done") {
                    return Err(ApiError::on_field(ErrorCode::InvalidField, "status"));
                }
                let row = repo::proposal(&ctx.env, &action.proposal_id)
                    .await?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
                may_steer(&req, &ctx.env, &row).await?;
                let args = [text(&action.id), text(status), int(now)];
                run(&ctx.env, sql::SET_ACTION_STATUS, &args, "action status").await?;
            }
            if patch.contribute == Some(true) {
                let (_, person) = session::actor(&req, &ctx.env).await?;
                let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
                let args = [text(&action.id), text(&person.id)];
                run(&ctx.env, sql::ADD_CONTRIBUTOR, &args, "contributor").await?;
            }
            respond::json(&repo::actions(&ctx.env, &action.proposal_id).await?)
        }
        .await,
    )
}
