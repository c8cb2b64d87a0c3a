//! The payment provider, one interface with two implementations: Stripe's HTTP API (when a
//! secret key is configured), reached through the host's `Fetch` port, and, in local development
//! only, a built-in stand-in whose test checkout page sends the same signed webhooks. What is
//! asked and what answers mean is decided in `domain::provider`; this module only carries the
//! forms and the answers.

use crate::App;
use crate::ports::{Fetch, Outbound};
use domain::donation::DonationRow;
use domain::error::{ApiError, ErrorCode};
use domain::pledge::PledgeRow;
use domain::provider::{self, ChargeOutcome, Form};
use http::Method;
use std::sync::Arc;

const API: &str = "https://api.stripe.com/v1";

pub enum Payments {
    Stripe(Stripe),
    Development,
}

/// Stripe's API with the instance's secret key.
pub struct Stripe {
    key: String,
    fetch: Arc<dyn Fetch>,
}

pub use store::features::SavedMethod;

impl Payments {
    /// The instance's provider: Stripe when configured, the stand-in in development, else 503.
    pub fn of(app: &App) -> Result<Payments, ApiError> {
        match (&app.config.stripe_secret_key, app.config.development) {
            (Some(key), _) => Ok(Payments::Stripe(Stripe {
                key: key.clone(),
                fetch: app.fetch.clone(),
            })),
            (None, true) => Ok(Payments::Development),
            (None, false) => {
                crate::log::error("payments: no STRIPE_SECRET_KEY configured");
                Err(ApiError::new(ErrorCode::Unavailable))
            }
        }
    }

    /// Stored with each donation and saved card.
    pub fn name(&self) -> &'static str {
        match self {
            Payments::Stripe(_) => "stripe",
            Payments::Development => "development",
        }
    }

    /// A hosted checkout for a gift: the provider's session id and page.
    pub async fn donation_checkout(
        &self,
        donation: &DonationRow,
        site: &str,
    ) -> Result<(Option<String>, String), ApiError> {
        match self {
            Payments::Development => Ok((None, format!("/don/paiement-test/?don={}", donation.id))),
            Payments::Stripe(stripe) => {
                let form = provider::donation_checkout(donation, site);
                let session = stripe.created("/checkout/sessions", &form, None).await?;
                let url = session.url.ok_or_else(provider_error)?;
                Ok((Some(session.id), url))
            }
        }
    }

    /// A customer at the provider for a person who has none yet.
    pub async fn customer(&self, person_id: &str) -> Result<String, ApiError> {
        match self {
            Payments::Development => Ok(format!("cus_dev_{person_id}")),
            Payments::Stripe(stripe) => {
                let form = provider::customer(person_id);
                let key_header = format!("customer-{person_id}");
                let created = stripe.created("/customers", &form, Some(&key_header));
                Ok(created.await?.id)
            }
        }
    }

    /// Where a backer saves a card for a pledge.
    pub async fn pledge_setup(
        &self,
        pledge: &PledgeRow,
        customer: &str,
        site: &str,
    ) -> Result<String, ApiError> {
        match self {
            Payments::Development => Ok(format!("/don/paiement-test/?engagement={}", pledge.id)),
            Payments::Stripe(stripe) => {
                let form = provider::pledge_setup(pledge, customer, site);
                let created = stripe.created("/checkout/sessions", &form, None).await?;
                created.url.ok_or_else(provider_error)
            }
        }
    }

    /// The card a completed setup saved.
    pub async fn saved_card(&self, setup_intent: &str) -> Result<String, ApiError> {
        match self {
            Payments::Development => Ok(format!("pm_dev_{setup_intent}")),
            Payments::Stripe(stripe) => {
                let path = format!("/setup_intents/{setup_intent}");
                let (status, body) = stripe.call(Method::GET, &path, None, None).await?;
                provider::setup_method(&body)
                    .filter(|_| status == 200)
                    .ok_or_else(provider_error)
            }
        }
    }

    /// Charges a pledge off-session, or asks how an earlier attempt ended when its payment is
    /// known. Never charges twice: the key names the attempt.
    pub async fn charge(&self, pledge: &PledgeRow, customer: &str, card: &str) -> ChargeOutcome {
        let Payments::Stripe(stripe) = self else {
            let attempt = pledge.attempts + 1;
            return ChargeOutcome::Paid {
                reference: format!("pi_dev_{}_{attempt}", pledge.id),
            };
        };
        let answer = match &pledge.charge_ref {
            Some(payment) => {
                let path = format!("/payment_intents/{payment}");
                stripe.call(Method::GET, &path, None, None).await
            }
            None => {
                let form = provider::pledge_charge(pledge, customer, card);
                let idempotency = provider::charge_key(&pledge.id, pledge.attempts);
                let path = "/payment_intents";
                stripe
                    .call(Method::POST, path, Some(&form), Some(&idempotency))
                    .await
            }
        };
        match answer {
            Ok((status, body)) => provider::charge_outcome(status, &body),
            Err(_) => ChargeOutcome::Unknown { reference: None },
        }
    }

    /// Pays back a whole payment; the refund's id.
    pub async fn refund(&self, payment: &str) -> Result<String, ApiError> {
        match self {
            Payments::Development => Ok(format!("re_dev_{payment}")),
            Payments::Stripe(stripe) => {
                let idempotency = format!("refund-{payment}");
                let form = provider::refund(payment);
                let created = stripe.created("/refunds", &form, Some(&idempotency));
                Ok(created.await?.id)
            }
        }
    }

    /// Stops a monthly gift at the provider.
    pub async fn cancel_subscription(&self, subscription: &str) -> Result<(), ApiError> {
        match self {
            Payments::Development => Ok(()),
            Payments::Stripe(stripe) => {
                let path = format!("/subscriptions/{subscription}");
                match stripe.call(Method::DELETE, &path, None, None).await? {
                    // Already gone at the provider: nothing more to stop.
                    (200 | 404, _) => Ok(()),
                    (status, _) => Err(logged(&format!("cancel subscription: {status}"))),
                }
            }
        }
    }
}

fn provider_error() -> ApiError {
    ApiError::new(ErrorCode::PaymentProvider)
}

fn logged(what: &str) -> ApiError {
    crate::log::error(&format!("payments: {what}"));
    provider_error()
}

impl Stripe {
    /// A POST that creates an object; any answer but 200 is the provider's refusal.
    async fn created(
        &self,
        path: &str,
        form: &Form,
        idempotency: Option<&str>,
    ) -> Result<provider::Created, ApiError> {
        let (status, body) = self
            .call(Method::POST, path, Some(form), idempotency)
            .await?;
        if status != 200 {
            return Err(logged(&format!("{path}: {status}")));
        }
        provider::created(&body).ok_or_else(|| logged(&format!("{path}: unreadable answer")))
    }

    /// One call to the provider's API with the secret key (never logged); the status and body.
    async fn call(
        &self,
        method: Method,
        path: &str,
        form: Option<&Form>,
        idempotency: Option<&str>,
    ) -> Result<(u16, Vec<u8>), ApiError> {
        let mut headers = vec![("Authorization".into(), format!("Bearer {}", self.key))];
        if let Some(key) = idempotency {
            headers.push(("Idempotency-Key".into(), key.into()));
        }
        if form.is_some() {
            let form_type = "application/x-www-form-urlencoded";
            headers.push(("Content-Type".into(), form_type.into()));
        }
        let body = form.map(|form| {
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
                .finish()
        });
        let request = Outbound {
            method,
            url: format!("{API}{path}"),
            headers,
            body,
        };
        let reply = self
            .fetch
            .fetch(request)
            .await
            .map_err(|_| logged(&format!("{path}: unreachable")))?;
        Ok((reply.status, reply.body))
    }
}
