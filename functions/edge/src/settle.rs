//! What follows a change in a feature's pledges, and what the scheduled run does: reach the goal
//! once, charge each pledge once (claimed before the provider is asked), let pledges go without
//! charge when a feature expires or is declined, and try failed charges again.

use crate::payments::Payments;
use crate::repo::features as repo;
use crate::repo::funding::{Movement, Step, commit_retrying};
use crate::repo::{int, opt_text, text};
use ::store::features as sql;
use domain::donation::Payment;
use domain::error::ApiError;
use domain::ledger::EntryKind;
use domain::pledge::{self, PledgeRow};
use domain::provider::ChargeOutcome;
use worker::Env;

/// Charges asked of the provider in one request or run (a worker's subrequests are bounded);
/// the scheduled run takes the rest.
const CHARGES_PER_RUN: usize = 25;

/// After a pledge counted: the funding transition if the goal is reached, then the charges.
pub async fn after_commit(env: &Env, feature_id: &str, site: &str) -> Result<(), ApiError> {
    let now = crate::platform::now();
    repo::reach_goal(env, feature_id, now).await?;
    let funded = repo::feature(env, feature_id)
        .await?
        .is_some_and(|f| f.status == "funded");
    if funded {
        let due = repo::to_charge(env, feature_id, now).await?;
        charge_all(env, due, site, now).await;
    }
    Ok(())
}

/// The scheduled run: expire features past their deadline, release their pledges, and charge
/// what is due (first charges left over, failed ones due again, runs that stopped midway).
pub async fn scheduled(env: &Env, site: &str) -> Result<(), ApiError> {
    let now = crate::platform::now();
    // Entries a request appended and could not seal (it stopped just after its commit).
    crate::repo::funding::seal(env).await?;
    for id in repo::due_to_expire(env, now, 50).await? {
        repo::expire(env, &id, now).await?;
    }
    release_due(env, now).await?;
    let due = repo::due_charges(env, now, CHARGES_PER_RUN as i64).await?;
    charge_all(env, due, site, now).await;
    Ok(())
}

/// Lets go, without charge, the pledges of expired and declined features. A committed pledge's
/// release is entered in the ledger (money promised, then not taken).
pub async fn release_due(env: &Env, now: i64) -> Result<(), ApiError> {
    for p in repo::to_release(env, 200).await? {
        let steps = [Step {
            sql: sql::RELEASE,
            args: vec![text(&p.id), int(now)],
        }];
        let movements = released(&p);
        commit_retrying(env, &steps, &movements, now).await?;
    }
    Ok(())
}

/// The ledger's release entry for a pledge that counted, none for one that never did.
pub fn released(p: &PledgeRow) -> Vec<Movement> {
    if p.status != "committed" {
        return Vec::new();
    }
    vec![Movement {
        kind: EntryKind::Release,
        reference: p.reference(),
        payment: Payment {
            amount_cents: p.amount_cents,
            currency: p.currency.clone(),
            source: format!("release:{}", p.id),
        },
    }]
}

async fn charge_all(env: &Env, due: Vec<PledgeRow>, site: &str, now: i64) {
    let Ok(payments) = Payments::of(&crate::config::from_env(env)) else {
        return;
    };
    for p in due.into_iter().take(CHARGES_PER_RUN) {
        if let Err(error) = charge(env, &payments, &p.id, site, now).await {
            worker::console_error!("charge {}: {}", p.id, error.code.code());
        }
    }
}

/// Charges one pledge if this run can claim it, and records what came of it.
async fn charge(
    env: &Env,
    payments: &Payments,
    id: &str,
    site: &str,
    now: i64,
) -> Result<(), ApiError> {
    let Some(p) = repo::claim(env, id, now).await? else {
        return Ok(()); // another run has it, or it is no longer due
    };
    let card = match p.person_id.as_deref() {
        Some(person) => repo::method_of(env, person).await?,
        None => None,
    };
    let outcome = match card
        .as_ref()
        .and_then(|c| Some((c, c.method_ref.as_deref()?)))
    {
        Some((saved, method)) => payments.charge(&p, &saved.customer_ref, method).await,
        None => ChargeOutcome::Declined {
            reason: "no_saved_card".into(),
        },
    };
    match outcome {
        ChargeOutcome::Paid { reference } => {
            let steps = [Step {
                sql: sql::CHARGED,
                args: vec![text(&p.id), text(&reference), int(now)],
            }];
            let movement = Movement {
                kind: EntryKind::Charge,
                reference: p.reference(),
                payment: Payment {
                    amount_cents: p.amount_cents,
                    currency: p.currency.clone(),
                    source: reference,
                },
            };
            commit_retrying(env, &steps, &[movement], now).await
        }
        ChargeOutcome::Declined { reason } => {
            let next = pledge::retry_at(p.attempts + 1, now);
            let args = [
                text(&p.id),
                text(&reason),
                next.map_or(wasm_bindgen::JsValue::NULL, int),
                int(now),
            ];
            repo::run(env, sql::CHARGE_FAILED, &args, "charge failed").await?;
            tell_backer(env, &p, next, site).await;
            Ok(())
        }
        // Left charging: a later run asks again, about the same payment or with the same key.
        ChargeOutcome::Unknown { reference } => {
            if reference.is_some() {
                let args = [text(&p.id), opt_text(reference.as_deref())];
                repo::run(env, sql::CHARGE_REF, &args, "charge ref").await?;
            }
            Ok(())
        }
    }
}

/// Mails the backer that a charge failed; a mail that cannot leave is logged, not retried.
async fn tell_backer(env: &Env, p: &PledgeRow, next: Option<i64>, site: &str) {
    let Some(person) = p.person_id.as_deref() else {
        return;
    };
    let Ok(app) = crate::host::application(env) else {
        return;
    };
    let Ok(Some(email)) = app::repo::accounts::email_of(&app, person).await else {
        return;
    };
    let title = match repo::feature(env, &p.feature_id).await {
        Ok(Some(f)) => f.title,
        _ => String::new(),
    };
    let message = domain::mail::charge_failed(site, &email, &title, p.amount_cents, next);
    let sent = app::mail::send(&app, &message, app::mail::Secrets::default()).await;
    if let Err(error) = sent {
        worker::console_warn!("charge failure mail: {}", error.code.code());
    }
}
