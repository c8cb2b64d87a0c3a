//! What follows a change in a feature's pledges, and what the scheduled run does: reach the goal
//! once, charge each pledge once (claimed before the provider is asked), let pledges go without
//! charge when a feature expires or is declined, and try failed charges again.

use crate::mail::Secrets;
use crate::payments::Payments;
use crate::repo::features as repo;
use crate::repo::ledger::{Movement, commit_retrying};
use crate::{App, log};
use domain::donation::Payment;
use domain::error::ApiError;
use domain::funding::{FeatureStatus, PledgeStatus};
use domain::ledger::EntryKind;
use domain::pledge::{self, PledgeRow};
use domain::provider::ChargeOutcome;

/// Charges asked of the provider in one request or run (a worker's subrequests are bounded);
/// the scheduled run takes the rest.
const CHARGES_PER_RUN: usize = 25;

/// After a pledge counted: the funding transition if the goal is reached, then the charges.
pub async fn after_commit(app: &App, feature_id: &str) -> Result<(), ApiError> {
    let now = app.now();
    repo::reach_goal(app, feature_id, now).await?;
    let funded = repo::feature(app, feature_id)
        .await?
        .is_some_and(|f| f.status == FeatureStatus::Funded);
    if funded {
        let due = repo::to_charge(app, feature_id, now).await?;
        charge_all(app, due, now).await;
    }
    Ok(())
}

/// The scheduled run: expire features past their deadline, release their pledges, and charge
/// what is due (first charges left over, failed ones due again, runs that stopped midway).
pub async fn scheduled(app: &App) -> Result<(), ApiError> {
    let now = app.now();
    // Entries a request appended and could not seal (it stopped just after its commit).
    crate::repo::ledger::seal(app).await?;
    for id in repo::due_to_expire(app, now, 50).await? {
        repo::expire(app, &id, now).await?;
    }
    release_due(app, now).await?;
    let due = repo::due_charges(app, now, CHARGES_PER_RUN as i64).await?;
    charge_all(app, due, now).await;
    Ok(())
}

/// Lets go, without charge, the pledges of expired and declined features. A committed pledge's
/// release is entered in the ledger (money promised, then not taken).
pub async fn release_due(app: &App, now: i64) -> Result<(), ApiError> {
    for p in repo::to_release(app, 200).await? {
        let steps = [store::features::pledge::release(&p.id, now)];
        commit_retrying(app, &steps, &released(&p), now).await?;
        tell_pledge(
            app,
            &p,
            "libéré : vous pouvez le reporter sur une autre fonctionnalité",
            "released",
        )
        .await;
    }
    Ok(())
}

/// Tells a backer what became of their pledge (charged or released), once.
async fn tell_pledge(app: &App, p: &PledgeRow, what: &str, step: &str) {
    let Some(person) = p.person_id.as_deref() else {
        return;
    };
    let amount = domain::donation::euros(p.amount_cents);
    let title = p
        .feature_title
        .clone()
        .unwrap_or_else(|| "une fonctionnalité".into());
    let told = crate::handlers::notifications::Told {
        kind: domain::notification::Kind::Pledge,
        text: format!("Votre engagement de {amount} pour « {title} » est {what}"),
        url: format!("/financer/{}/", p.feature_id),
        once: format!("pledge_{step}:{}", p.id),
    };
    crate::handlers::notifications::to_person(app, person, &told).await;
}

/// The ledger's release entry for a pledge that counted, none for one that never did.
pub fn released(p: &PledgeRow) -> Vec<Movement> {
    if p.status != PledgeStatus::Committed {
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

async fn charge_all(app: &App, due: Vec<PledgeRow>, now: i64) {
    let Ok(payments) = Payments::of(app) else {
        return;
    };
    for p in due.into_iter().take(CHARGES_PER_RUN) {
        if let Err(error) = charge(app, &payments, &p.id, now).await {
            log::error(&format!("charge {}: {}", p.id, error.code.code()));
        }
    }
}

/// Charges one pledge if this run can claim it, and records what came of it.
async fn charge(app: &App, payments: &Payments, id: &str, now: i64) -> Result<(), ApiError> {
    let Some(p) = repo::claim(app, id, now).await? else {
        return Ok(()); // another run has it, or it is no longer due
    };
    let card = match p.person_id.as_deref() {
        Some(person) => repo::method_of(app, person).await?,
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
            let steps = [store::features::pledge::charged(&p.id, &reference, now)];
            let movement = Movement {
                kind: EntryKind::Charge,
                reference: p.reference(),
                payment: Payment {
                    amount_cents: p.amount_cents,
                    currency: p.currency.clone(),
                    source: reference,
                },
            };
            commit_retrying(app, &steps, &[movement], now).await?;
            tell_pledge(
                app,
                &p,
                "prélevé : la fonctionnalité va être développée",
                "charged",
            )
            .await;
            Ok(())
        }
        ChargeOutcome::Declined { reason } => {
            let next = pledge::retry_at(p.attempts + 1, now);
            repo::charge_failed(app, &p.id, &reason, next, now).await?;
            tell_backer(app, &p, next).await;
            Ok(())
        }
        // Left charging: a later run asks again, about the same payment or with the same key.
        ChargeOutcome::Unknown { reference } => match reference {
            Some(payment) => repo::charge_ref(app, &p.id, &payment).await,
            None => Ok(()),
        },
    }
}

/// Mails the backer that a charge failed; a mail that cannot leave is logged, not retried. The
/// links lead to the configured site (no request to read it from).
async fn tell_backer(app: &App, p: &PledgeRow, next: Option<i64>) {
    let Some(person) = p.person_id.as_deref() else {
        return;
    };
    let Ok(Some(email)) = crate::repo::accounts::email_of(app, person).await else {
        return;
    };
    let title = match repo::feature(app, &p.feature_id).await {
        Ok(Some(f)) => f.title,
        _ => String::new(),
    };
    let site = &app.config.site_url;
    let message = domain::mail::charge_failed(site, &email, &title, p.amount_cents, next);
    if let Err(error) = crate::mail::send(app, &message, Secrets::default()).await {
        log::error(&format!("charge failure mail: {}", error.code.code()));
    }
}
