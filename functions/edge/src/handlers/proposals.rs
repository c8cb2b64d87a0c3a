//! The cooperative space: proposals opened in a community, amended, voted on (openly or in
//! secret, with receipts), and closed with a resolution. Every read first brings the proposal
//! up to the clock (due amendments decided, a finished vote closed), so that no answer waits
//! for the scheduled run.

use crate::repo::cooperation as repo;
use crate::respond;
use crate::{platform, request, session};
use domain::access::{self, Action, Relation, Target};
use domain::error::{ApiError, ErrorCode};
use domain::vote::ballot::{Ballot, MotionChoice};
use domain::vote::phase::Phase;
use domain::vote::proposal::{MAX_OPTIONS, ProposalInput};
use domain::vote::receipt::{RECEIPT_BYTES, receipt_hash, receipt_text};
use domain::vote::resolution::{resolve, results};
use domain::vote::view::{ProposalRow, amendment_adopted};
use domain::vote::wire::check_sent;
use serde::Deserialize;
use serde_json::{Value, json};
use worker::{Env, Request, Response, Result, RouteContext};

/// The proposal named in the path, brought up to the clock, or 404.
pub async fn named(env: &Env, id: &str) -> std::result::Result<ProposalRow, ApiError> {
    let row = repo::proposal(env, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    settle(env, row, platform::now()).await
}

/// Decides the amendments whose phase ended (in the order they came, adopted ones folded into
/// the text) and closes a vote that ended. Safe to run twice: each step is a compare-and-set.
pub async fn settle(
    env: &Env,
    row: ProposalRow,
    now: i64,
) -> std::result::Result<ProposalRow, ApiError> {
    let amendments_due = row.schedule().amendments_due(now) == Some(true);
    let closing = row.closed_at.is_none() && now >= row.vote_until;
    if !amendments_due && !closing {
        return Ok(row);
    }
    if amendments_due {
        let majority = row.rules().majority_percent;
        for a in repo::amendments(env, &row.id).await? {
            if a.status == "open" {
                let count = |n: i64| n.max(0) as u64;
                let adopted = amendment_adopted(
                    count(a.in_favour),
                    count(a.against),
                    count(a.blank),
                    majority,
                );
                repo::decide_amendment(env, &row.id, &a.id, adopted, now).await?;
            }
        }
    }
    if closing {
        let resolution = resolve(
            &row.question(),
            row.rules(),
            repo::eligible(env, &row, domain::donation::donors_since(now)).await?,
            &ballots(env, &row.id).await?,
        );
        let text = serde_json::to_string(&resolution).unwrap_or_default();
        if repo::close(env, &row.id, &text, now).await? {
            crate::handlers::resolutions::carry_out(env, &row, &resolution, now).await?;
        }
    }
    repo::proposal(env, &row.id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))
}

async fn ballots(env: &Env, id: &str) -> std::result::Result<Vec<Ballot>, ApiError> {
    Ok(repo::contents(env, id)
        .await?
        .iter()
        .filter_map(|c| serde_json::from_str(c).ok())
        .collect())
}

/// The proposal with its text's versions, its amendments, and its tallies when they may be seen.
pub async fn detail(env: &Env, row: &ProposalRow) -> std::result::Result<Value, ApiError> {
    let now = platform::now();
    let mut view = serde_json::to_value(row.view(now)).unwrap_or(Value::Null);
    let versions: Vec<Value> = repo::versions(env, &row.id)
        .await?
        .into_iter()
        .map(|v| {
            json!({"version": v.version, "body": v.body, "amendment_id": v.amendment_id,
                   "at": domain::time::rfc3339(v.at)})
        })
        .collect();
    let amendments: Vec<Value> = repo::amendments(env, &row.id)
        .await?
        .into_iter()
        .map(|a| {
            json!({"id": a.id, "body": a.body, "reason": a.reason, "status": a.status,
                   "for": a.in_favour, "against": a.against, "blank": a.blank,
                   "created_at": domain::time::rfc3339(a.created_at)})
        })
        .collect();
    view["versions"] = versions.into();
    view["amendments"] = amendments.into();
    view["actions"] = serde_json::to_value(repo::actions(env, &row.id).await?).unwrap_or_default();
    view["results"] = match (&view["resolution"], row.results_visible(now)) {
        (_, false) => Value::Null,
        (Value::Null, true) => {
            let live = resolve(
                &row.question(),
                row.rules(),
                repo::eligible(env, row, domain::donation::donors_since(now)).await?,
                &ballots(env, &row.id).await?,
            );
            results(
                &serde_json::to_value(live).unwrap_or_default(),
                &row.option_names(),
            )
        }
        (recorded, true) => results(recorded, &row.option_names()),
    };
    Ok(view)
}

/// Whether the signed-in person may vote and amend here, decided now (401 / 403).
pub async fn eligible_voter(
    req: &Request,
    env: &Env,
    row: &ProposalRow,
) -> std::result::Result<String, ApiError> {
    let (actor, person) = session::actor_with_donor(req, env).await?;
    let member = match (&person, row.community.as_str()) {
        (Some(_), "instance") => true,
        (Some(p), element) => {
            let relation = crate::repo::elements::relation(env, element, &p.id).await?;
            relation.member != 0 || relation.admin != 0
        }
        (None, _) => false,
    };
    row.eligibility().admits(domain::vote::proposal::Voter {
        signed_in: actor.signed_in,
        member,
        donor: actor.donor,
        instance_admin: actor.instance_admin,
    })?;
    person
        .map(|p| p.id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))
}

/// For a write by a voter: the proposal named in the path, in the phase the write needs
/// (amendments taken, for `Amendable`), and the person, if they may vote here (401 / 403;
/// 409 in another phase).
pub async fn participant(
    req: &Request,
    env: &Env,
    id: &str,
    phase: Phase,
) -> std::result::Result<(ProposalRow, String), ApiError> {
    request::check_write(req)?;
    let row = named(env, id).await?;
    let person = eligible_voter(req, env, &row).await?;
    let now = platform::now();
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
pub async fn create(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let input = request::json::<ProposalInput>(&mut req).await?;
            let row = open_proposal(&req, &ctx.env, input).await?;
            respond::json_status(&detail(&ctx.env, &row).await?, 201)
        }
        .await,
    )
}

/// Opens a proposal asked by the person signed in, if they may open one in its community
/// (the API and the community page's form both come here).
pub async fn open_proposal(
    req: &Request,
    env: &Env,
    input: ProposalInput,
) -> std::result::Result<ProposalRow, ApiError> {
    let now = platform::now();
    let mut features = Vec::new();
    for id in input.feature_ids.iter().take(MAX_OPTIONS + 1) {
        if let Some(feature) = crate::repo::features::feature(env, id).await? {
            features.push(feature.budget_feature(now));
        }
    }
    let asked = input.check(now, &features)?;
    let person = proposer(req, env, &asked.community).await?;
    let id = format!("pr_{}", &platform::token()[..16]);
    repo::insert(env, &id, &asked, Some(&person.id), None, now).await?;
    named(env, &id).await
}

/// Who may open a proposal in a community: the instance's donors and admins, an organization's
/// or project's members and admins (401 / 403; 400 for a community that has no space).
pub async fn proposer(
    req: &Request,
    env: &Env,
    community: &str,
) -> std::result::Result<domain::profile::Person, ApiError> {
    let person = if community == "instance" {
        session::allowed(req, env, Action::ProposeInInstance).await?
    } else {
        let element = crate::repo::elements::find(env, community)
            .await?
            .filter(|e| matches!(e.kind.as_str(), "organization" | "project"))
            .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "community"))?;
        let (actor, person) = session::actor(req, env).await?;
        let relation = match &person {
            Some(p) => crate::repo::elements::relation(env, &element.id, &p.id).await?,
            None => Default::default(),
        };
        let links = Relation {
            element_admin: relation.admin != 0,
            member: relation.member != 0,
        };
        access::decide(actor, Action::ProposeInElement, links, Target::default())?;
        person
    };
    person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))
}

/// `GET /api/proposals?community=&phase=` (the instance's by default; open ones first, the
/// nearest deadline first; the 200 latest).
pub async fn list(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let community = request::query(&req, "community").unwrap_or_else(|| "instance".into());
            let phase = match request::query(&req, "phase") {
                None => None,
                Some(p) => Some(
                    serde_json::from_value::<Phase>(Value::String(p))
                        .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "phase"))?,
                ),
            };
            let now = platform::now();
            let items: Vec<_> = repo::proposals_of(&ctx.env, &community)
                .await?
                .iter()
                .map(|p| p.view(now))
                .filter(|v| phase.is_none_or(|p| p == v.phase))
                .collect();
            respond::json(&json!({"items": items, "next_cursor": null}))
        }
        .await,
    )
}

/// `GET /api/proposals/{id}`; for a signed-in person, also whether they took part.
pub async fn show(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let id = ctx.param("id").cloned().unwrap_or_default();
            let row = named(&ctx.env, &id).await?;
            let mut body = detail(&ctx.env, &row).await?;
            if let (_, Some(person)) = session::actor(&req, &ctx.env).await? {
                body["you_took_part"] =
                    repo::took_part(&ctx.env, &row.id, &person.id).await?.into();
            }
            respond::json(&body)
        }
        .await,
    )
}

/// `POST /api/proposals/{id}/ballot`: the method's form (motion `{"value"}`, choice
/// `{"option"}`, majority judgment `{"grades": {option: 0..5}}`, budget `{"feature_ids"}`),
/// plus `"receipt"` to replace one's secret ballot. The first API's `/ballots {"ballot",
/// "receipt"?}` comes here too. One counted ballot per person: a second replaces the first when
/// changes are allowed, else 409. The answer carries a new receipt (shown once, only its hash
/// kept) with which the voter checks that the ballot is counted.
pub async fn cast(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let id = ctx.param("id").cloned().unwrap_or_default();
            let (row, person) = participant(&req, &ctx.env, &id, Phase::Voting).await?;
            let mut body = request::json::<Value>(&mut req).await?;
            let object = body
                .as_object_mut()
                .ok_or_else(|| ApiError::new(ErrorCode::InvalidJson))?;
            let receipt = object
                .remove("receipt")
                .and_then(|r| r.as_str().map(str::to_string));
            let raw = object.remove("ballot").unwrap_or(body);
            let answer = cast_ballot(&ctx.env, &row, &person, &raw, receipt).await?;
            respond::json(&answer)
        }
        .await,
    )
}

/// Casts (or replaces) a ballot: `{"receipt", "counted", "replaced"?}`.
pub async fn cast_ballot(
    env: &Env,
    row: &ProposalRow,
    person: &str,
    raw: &Value,
    receipt: Option<String>,
) -> std::result::Result<Value, ApiError> {
    let ballot = check_sent(&row.question(), &row.option_names(), raw)?.to_text();
    let changeable = row.changeable != 0;
    let now = platform::now();
    let new_receipt = receipt_text(&platform::random::<RECEIPT_BYTES>());
    let hash = receipt_hash(&row.id, &new_receipt);
    let answer = |replaced: bool| {
        let mut answer = json!({"receipt": new_receipt, "counted": true});
        if replaced {
            answer["replaced"] = true.into();
        }
        answer
    };
    if row.secret == 0 {
        let open = repo::OpenBallot {
            proposal: &row.id,
            person,
            content: &ballot,
            receipt_hash: &hash,
            now,
        };
        if repo::cast_open(env, &open).await? {
            return Ok(answer(false));
        }
        if !changeable {
            return Err(ApiError::on_field(ErrorCode::Conflict, "ballot"));
        }
        repo::replace_open(env, &open).await?;
        return Ok(answer(true));
    }
    if let Some(receipt) = receipt.filter(|r| !r.trim().is_empty()) {
        if !changeable {
            return Err(ApiError::on_field(ErrorCode::Conflict, "receipt"));
        }
        // The secret ballot keeps its receipt: a new one would need its old row found by person.
        let hash = receipt_hash(&row.id, receipt.trim());
        if !repo::replace_secret(env, &row.id, &hash, &ballot).await? {
            return Err(ApiError::on_field(ErrorCode::NotFound, "receipt"));
        }
        return Ok(json!({"receipt": receipt.trim(), "counted": true, "replaced": true}));
    }
    if !repo::cast_secret(env, &row.id, person, &hash, &ballot).await? {
        return Err(ApiError::on_field(ErrorCode::Conflict, "ballot"));
    }
    Ok(answer(false))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptInput {
    receipt: String,
}

/// `GET /api/proposals/{id}/receipt/{receipt}`: whether the ballot it names is counted.
pub async fn receipt(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let id = ctx.param("id").cloned().unwrap_or_default();
            let receipt = ctx.param("receipt").cloned().unwrap_or_default();
            let row = named(&ctx.env, &id).await?;
            respond::json(&receipt_status(&ctx.env, &row, &receipt).await?)
        }
        .await,
    )
}

/// `POST /api/proposals/{id}/receipt {"receipt"}`: the same, keeping the receipt out of the
/// address (and so out of logs and history).
pub async fn check_receipt(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let id = ctx.param("id").cloned().unwrap_or_default();
            let row = named(&ctx.env, &id).await?;
            let receipt = request::json::<ReceiptInput>(&mut req).await?.receipt;
            respond::json(&receipt_status(&ctx.env, &row, &receipt).await?)
        }
        .await,
    )
}

/// `{"counted"}` for a receipt: whether its ballot is counted, never what it holds (a receipt
/// shown to someone else must not prove a vote).
pub async fn receipt_status(
    env: &Env,
    row: &ProposalRow,
    receipt: &str,
) -> std::result::Result<Value, ApiError> {
    let hash = receipt_hash(&row.id, receipt.trim());
    Ok(json!({"counted": repo::counted(env, &row.id, &hash).await?}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendmentInput {
    #[serde(alias = "body")]
    text: String,
    #[serde(default)]
    reason: String,
}

/// `POST /api/proposals/{id}/amendments {"text","reason"?}`: a new text for the proposal,
/// while amendments are taken, by someone who may vote.
pub async fn amend(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let id = ctx.param("id").cloned().unwrap_or_default();
            let (row, person) = participant(&req, &ctx.env, &id, Phase::Amendable).await?;
            let input = request::json::<AmendmentInput>(&mut req).await?;
            let amendment =
                add_amendment(&ctx.env, &row, &person, &input.text, &input.reason).await?;
            respond::json_status(&json!({"id": amendment, "status": "open"}), 201)
        }
        .await,
    )
}

/// A new amendment's id, or 400 on an empty or unchanged text.
pub async fn add_amendment(
    env: &Env,
    row: &ProposalRow,
    person: &str,
    body: &str,
    reason: &str,
) -> std::result::Result<String, ApiError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 20_000 || body == row.body {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "body"));
    }
    let reason: String = reason.trim().chars().take(2000).collect();
    let amendment = format!("am_{}", &platform::token()[..16]);
    let now = platform::now();
    repo::insert_amendment(env, &amendment, &row.id, person, body, &reason, now).await?;
    Ok(amendment)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendmentVote {
    #[serde(alias = "choice")]
    value: MotionChoice,
}

/// `POST /api/amendments/{amendment}/vote {"value"}` (and the first API's
/// `/api/proposals/{id}/amendments/{amendment}/votes {"choice"}`): for, against or blank, once
/// per person, while amendments are taken.
pub async fn vote_amendment(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            let amendment = ctx.param("amendment").cloned().unwrap_or_default();
            let id = match ctx.param("id") {
                Some(id) => id.clone(),
                None => repo::amendment_proposal(&ctx.env, &amendment)
                    .await?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?,
            };
            let (row, person) = participant(&req, &ctx.env, &id, Phase::Amendable).await?;
            let value = request::json::<AmendmentVote>(&mut req)
                .await
                .map_err(|_| ApiError::on_field(ErrorCode::InvalidField, "value"))?
                .value;
            vote_on_amendment(&ctx.env, &row, &person, &amendment, value).await?;
            respond::json(&json!({"counted": true}))
        }
        .await,
    )
}

/// One vote per person on an open amendment of this proposal (404 for another's, 409 twice).
pub async fn vote_on_amendment(
    env: &Env,
    row: &ProposalRow,
    person: &str,
    amendment: &str,
    choice: MotionChoice,
) -> std::result::Result<(), ApiError> {
    let known = repo::amendments(env, &row.id)
        .await?
        .iter()
        .any(|a| a.id == amendment && a.status == "open");
    if !known {
        return Err(ApiError::new(ErrorCode::NotFound));
    }
    let text = serde_json::to_value(choice)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if !repo::vote_amendment(env, amendment, person, &text).await? {
        return Err(ApiError::on_field(ErrorCode::Conflict, "value"));
    }
    Ok(())
}

/// The scheduled run: decide due amendments and close finished votes.
pub async fn scheduled(env: &Env, now: i64) -> std::result::Result<(), ApiError> {
    for row in repo::due_to_close(env, now).await? {
        settle(env, row, now).await?;
    }
    Ok(())
}
