//! The payment provider, one interface with two implementations: Stripe's HTTP API (when a
//! secret key is configured) and, in local development only, a built-in stand-in whose test
//! checkout page sends the same signed webhooks. What is asked and what answers mean is decided
//! in `domain::provider`; this module only carries the forms and the answers.

use crate::config::Config;
use domain::error::{ApiError, ErrorCode};
use domain::provider::{self, ChargeOutcome, Form};
use worker::{Fetch, Headers, Method, Request, RequestInit};

const API: &str = "https://api.stripe.com/v1";

pub enum Payments {
    Stripe { key: String },
    Development,
}

/// A person's saved card at the provider.
#[derive(serde::Deserialize)]
pub struct SavedMethod {
    pub provider: String,
    pub customer_ref: String,
    pub method_ref: Option<String>,
}

impl Payments {
    /// The instance's provider: Stripe when configured, the stand-in in development, else 503.
    pub fn of(config: &Config) -> Result<Payments, ApiError> {
        match (&config.stripe_secret_key, config.development) {
            (Some(key), _) => Ok(Payments::Stripe { key: key.clone() }),
            (None, true) => Ok(Payments::Development),
            (None, false) => {
                worker::console_error!("payments: no STRIPE_SECRET_KEY configured");
                Err(ApiError::new(ErrorCode::Unavailable))
            }
        }
    }

    /// Stored with each donation and saved card.
    pub fn name(&self) -> &'static str {
        match self {
            Payments::Stripe { .. } => "stripe",
            Payments::Development => "development",
        }
    }

    /// A hosted checkout for a gift: the provider's session id and page.
    pub async fn donation_checkout(
        &self,
        donation: &domain::donation::DonationRow,
        site: &str,
    ) -> Result<(Option<String>, String), ApiError> {
        match self {
            Payments::Development => Ok((None, format!("/don/paiement-test/?don={}", donation.id))),
            Payments::Stripe { key } => {
                let form = provider::donation_checkout(donation, site);
                let session = created(key, "/checkout/sessions", &form, None).await?;
                let url = session.url.ok_or_else(provider_error)?;
                Ok((Some(session.id), url))
            }
        }
    }

    /// A customer at the provider for a person who has none yet.
    pub async fn customer(&self, person_id: &str) -> Result<String, ApiError> {
        match self {
            Payments::Development => Ok(format!("cus_dev_{person_id}")),
            Payments::Stripe { key } => {
                let form = provider::customer(person_id);
                let key_header = format!("customer-{person_id}");
                Ok(created(key, "/customers", &form, Some(&key_header))
                    .await?
                    .id)
            }
        }
    }

    /// Where a backer saves a card for a pledge.
    pub async fn pledge_setup(
        &self,
        pledge: &domain::pledge::PledgeRow,
        customer: &str,
        site: &str,
    ) -> Result<String, ApiError> {
        match self {
            Payments::Development => Ok(format!("/don/paiement-test/?engagement={}", pledge.id)),
            Payments::Stripe { key } => {
                let form = provider::pledge_setup(pledge, customer, site);
                created(key, "/checkout/sessions", &form, None)
                    .await?
                    .url
                    .ok_or_else(provider_error)
            }
        }
    }

    /// The card a completed setup saved.
    pub async fn saved_card(&self, setup_intent: &str) -> Result<String, ApiError> {
        match self {
            Payments::Development => Ok(format!("pm_dev_{setup_intent}")),
            Payments::Stripe { key } => {
                let (status, body) = call(
                    key,
                    Method::Get,
                    &format!("/setup_intents/{setup_intent}"),
                    None,
                    None,
                )
                .await?;
                provider::setup_method(&body)
                    .filter(|_| status == 200)
                    .ok_or_else(provider_error)
            }
        }
    }

    /// Charges a pledge off-session, or asks how an earlier attempt ended when its payment is
    /// known. Never charges twice: the key names the attempt.
    pub async fn charge(
        &self,
        pledge: &domain::pledge::PledgeRow,
        customer: &str,
        card: &str,
    ) -> ChargeOutcome {
        let Payments::Stripe { key } = self else {
            let attempt = pledge.attempts + 1;
            return ChargeOutcome::Paid {
                reference: format!("pi_dev_{}_{attempt}", pledge.id),
            };
        };
        let answer = match &pledge.charge_ref {
            Some(payment) => {
                call(
                    key,
                    Method::Get,
                    &format!("/payment_intents/{payment}"),
                    None,
                    None,
                )
                .await
            }
            None => {
                let form = provider::pledge_charge(pledge, customer, card);
                let idempotency = provider::charge_key(&pledge.id, pledge.attempts);
                call(
                    key,
                    Method::Post,
                    "/payment_intents",
                    Some(&form),
                    Some(&idempotency),
                )
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
            Payments::Stripe { key } => {
                let idempotency = format!("refund-{payment}");
                let form = provider::refund(payment);
                Ok(created(key, "/refunds", &form, Some(&idempotency))
                    .await?
                    .id)
            }
        }
    }

    /// Stops a monthly gift at the provider.
    pub async fn cancel_subscription(&self, subscription: &str) -> Result<(), ApiError> {
        match self {
            Payments::Development => Ok(()),
            Payments::Stripe { key } => {
                let path = format!("/subscriptions/{subscription}");
                match call(key, Method::Delete, &path, None, None).await? {
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
    worker::console_error!("payments: {what}");
    provider_error()
}

/// A POST that creates an object; any answer but 200 is the provider's refusal.
async fn created(
    key: &str,
    path: &str,
    form: &Form,
    idempotency: Option<&str>,
) -> Result<provider::Created, ApiError> {
    let (status, body) = call(key, Method::Post, path, Some(form), idempotency).await?;
    if status != 200 {
        return Err(logged(&format!("{path}: {status}")));
    }
    provider::created(&body).ok_or_else(|| logged(&format!("{path}: unreadable answer")))
}

/// One call to the provider's API with the secret key (never logged); the status and body.
async fn call(
    key: &str,
    method: Method,
    path: &str,
    form: Option<&Form>,
    idempotency: Option<&str>,
) -> Result<(u16, Vec<u8>), ApiError> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value);
    set("Authorization", &format!("Bearer {key}"))
        .and_then(|_| match idempotency {
            Some(k) => set("Idempotency-Key", k),
            None => Ok(()),
        })
        .and_then(|_| match form {
            Some(_) => set("Content-Type", "application/x-www-form-urlencoded"),
            None => Ok(()),
        })
        .map_err(|_| logged("headers"))?;
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers);
    if let Some(form) = form {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        init.with_body(Some(body.into()));
    }
    let request =
        Request::new_with_init(&format!("{API}{path}"), &init).map_err(|_| logged("request"))?;
    let mut response = Fetch::Request(request)
        .send()
        .await
        .map_err(|_| logged(&format!("{path}: unreachable")))?;
    let body = response.bytes().await.unwrap_or_default();
    Ok((response.status_code(), body))
}
