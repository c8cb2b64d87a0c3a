//! What we ask the payment provider and what its answers mean, in Stripe's API shapes
//! (form-encoded requests, JSON answers). The edge only sends these forms and hands back the
//! answers; the rules live here.

use crate::donation::{DonationRow, Recurring};
use crate::pledge::PledgeRow;
use serde::Deserialize;
use serde_json::Value;

/// A form-encoded request body, in order.
pub type Form = Vec<(&'static str, String)>;

/// A hosted Checkout Session for a gift: a payment once, or a monthly subscription whose
/// invoices carry our donation id in their metadata.
pub fn donation_checkout(d: &DonationRow, site: &str) -> Form {
    let monthly = d.recurring == Recurring::Monthly;
    let mut form: Form = vec![
        (
            "mode",
            if monthly { "subscription" } else { "payment" }.into(),
        ),
        ("client_reference_id", d.id.clone()),
        ("locale", "fr".into()),
        ("success_url", format!("{site}/don/?merci={}", d.id)),
        ("cancel_url", format!("{site}/don/")),
        ("line_items[0][quantity]", "1".into()),
        (
            "line_items[0][price_data][currency]",
            d.currency.to_lowercase(),
        ),
        (
            "line_items[0][price_data][unit_amount]",
            d.amount_cents.to_string(),
        ),
        (
            "line_items[0][price_data][product_data][name]",
            if monthly {
                "Don mensuel à Communs"
            } else {
                "Don à Communs"
            }
            .into(),
        ),
    ];
    if monthly {
        form.push((
            "line_items[0][price_data][recurring][interval]",
            "month".into(),
        ));
        form.push(("subscription_data[metadata][donation_id]", d.id.clone()));
    } else {
        form.push(("submit_type", "donate".into()));
        form.push(("payment_intent_data[metadata][donation_id]", d.id.clone()));
    }
    form
}

/// A customer at the provider for a person, to keep their saved card.
pub fn customer(person_id: &str) -> Form {
    vec![("metadata[person_id]", person_id.into())]
}

/// A Checkout Session in setup mode: the backer saves a card, nothing is charged.
pub fn pledge_setup(pledge: &PledgeRow, customer: &str, site: &str) -> Form {
    let page = format!("{site}/financer/{}/", pledge.feature_id);
    vec![
        ("mode", "setup".into()),
        ("currency", pledge.currency.to_lowercase()),
        ("customer", customer.into()),
        ("client_reference_id", pledge.id.clone()),
        ("locale", "fr".into()),
        ("success_url", format!("{page}?engagement={}", pledge.id)),
        ("cancel_url", page),
        ("setup_intent_data[metadata][pledge_id]", pledge.id.clone()),
    ]
}

/// An off-session charge of a pledge with the backer's saved card, confirmed at once.
pub fn pledge_charge(pledge: &PledgeRow, customer: &str, method: &str) -> Form {
    vec![
        ("amount", pledge.amount_cents.to_string()),
        ("currency", pledge.currency.to_lowercase()),
        ("customer", customer.into()),
        ("payment_method", method.into()),
        ("off_session", "true".into()),
        ("confirm", "true".into()),
        ("description", format!("Engagement {}", pledge.id)),
        ("metadata[pledge_id]", pledge.id.clone()),
        ("metadata[feature_id]", pledge.feature_id.clone()),
    ]
}

/// The provider's idempotency key for one attempt to charge a pledge: the same attempt asked
/// twice (a run stopped midway) is one charge; a new attempt follows a known failure only.
pub fn charge_key(pledge_id: &str, attempts: i64) -> String {
    format!("pledge-{pledge_id}-charge-{}", attempts + 1)
}

/// A refund of a whole payment.
pub fn refund(payment: &str) -> Form {
    vec![("payment_intent", payment.into())]
}

/// A created object's id, and a hosted page's address when it has one.
#[derive(Debug, Deserialize, PartialEq)]
pub struct Created {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
}

pub fn created(body: &[u8]) -> Option<Created> {
    serde_json::from_slice(body).ok()
}

/// The saved card of a SetupIntent (an id, or the expanded object).
pub fn setup_method(body: &[u8]) -> Option<String> {
    let intent: Value = serde_json::from_slice(body).ok()?;
    match intent.get("payment_method")? {
        Value::String(id) => Some(id.clone()),
        object => object.get("id")?.as_str().map(str::to_string),
    }
}

/// What came of asking for a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    /// Paid: the provider's payment id, entered in the ledger.
    Paid { reference: String },
    /// Refused for a reason the backer can act on (card declined, authentication needed).
    Declined { reason: String },
    /// No clear answer (network, provider error, still processing): ask again with the same
    /// key, or about the payment itself when its id is known.
    Unknown { reference: Option<String> },
}

/// Reads the provider's answer to a PaymentIntent confirmed off-session.
pub fn charge_outcome(status: u16, body: &[u8]) -> ChargeOutcome {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    match status {
        200 => match (text(&json, "status").as_deref(), text(&json, "id")) {
            (Some("succeeded"), Some(reference)) => ChargeOutcome::Paid { reference },
            (Some("requires_action" | "requires_payment_method"), _) => ChargeOutcome::Declined {
                reason: "authentication_required".into(),
            },
            (_, reference) => ChargeOutcome::Unknown { reference },
        },
        // A card error, or a request the provider will never accept (a removed card).
        400 | 402 | 404 => {
            let error = json.get("error").unwrap_or(&Value::Null);
            let reason = text(error, "decline_code")
                .or_else(|| text(error, "code"))
                .unwrap_or_else(|| "declined".into());
            ChargeOutcome::Declined { reason }
        }
        _ => ChargeOutcome::Unknown { reference: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn donation(recurring: Recurring) -> DonationRow {
        DonationRow {
            id: "d_1".into(),
            person_id: None,
            amount_cents: 500,
            currency: "EUR".into(),
            recurring,
            status: crate::donation::DonationStatus::Pending,
            provider: "stripe".into(),
            checkout_ref: None,
            subscription_ref: None,
            created_at: 0,
            confirmed_at: None,
            canceled_at: None,
        }
    }

    fn value<'a>(form: &'a Form, key: &str) -> Option<&'a str> {
        form.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_monthly_gift_is_a_subscription_that_names_the_donation() {
        let form = donation_checkout(&donation(Recurring::Monthly), "https://communs.fr");
        assert_eq!(value(&form, "mode"), Some("subscription"));
        assert_eq!(value(&form, "client_reference_id"), Some("d_1"));
        assert_eq!(
            value(&form, "subscription_data[metadata][donation_id]"),
            Some("d_1")
        );
        assert_eq!(
            value(&form, "line_items[0][price_data][recurring][interval]"),
            Some("month")
        );
        assert_eq!(
            value(&form, "line_items[0][price_data][unit_amount]"),
            Some("500")
        );
        assert_eq!(
            value(&form, "success_url"),
            Some("https://communs.fr/don/?merci=d_1")
        );
        let once = donation_checkout(&donation(Recurring::None), "https://communs.fr");
        assert_eq!(value(&once, "mode"), Some("payment"));
        assert_eq!(
            value(&once, "line_items[0][price_data][recurring][interval]"),
            None
        );
    }

    #[test]
    fn charges_are_off_session_and_keyed_by_attempt() {
        let pledge = PledgeRow {
            id: "p_1".into(),
            feature_id: "f_1".into(),
            person_id: None,
            amount_cents: 1300,
            currency: "EUR".into(),
            status: crate::funding::PledgeStatus::Charging,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
            charge_ref: None,
            created_at: 0,
            feature_title: None,
        };
        let form = pledge_charge(&pledge, "cus_1", "pm_1");
        assert_eq!(value(&form, "off_session"), Some("true"));
        assert_eq!(value(&form, "confirm"), Some("true"));
        assert_eq!(value(&form, "amount"), Some("1300"));
        assert_eq!(value(&form, "currency"), Some("eur"));
        assert_ne!(charge_key("p_1", 0), charge_key("p_1", 1));
        let setup = pledge_setup(&pledge, "cus_1", "https://x");
        assert_eq!(value(&setup, "mode"), Some("setup"));
        assert_eq!(
            value(&setup, "success_url"),
            Some("https://x/financer/f_1/?engagement=p_1")
        );
    }

    #[test]
    fn the_provider_answers_mean_paid_declined_or_ask_again() {
        let paid = br#"{"id":"pi_1","object":"payment_intent","status":"succeeded"}"#;
        assert_eq!(
            charge_outcome(200, paid),
            ChargeOutcome::Paid {
                reference: "pi_1".into()
            }
        );
        let declined = br#"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds"}}"#;
        assert_eq!(
            charge_outcome(402, declined),
            ChargeOutcome::Declined {
                reason: "insufficient_funds".into()
            }
        );
        let action = br#"{"id":"pi_2","status":"requires_action"}"#;
        assert!(matches!(
            charge_outcome(200, action),
            ChargeOutcome::Declined { .. }
        ));
        let unknown = ChargeOutcome::Unknown { reference: None };
        assert_eq!(charge_outcome(500, b"oops"), unknown);
        assert_eq!(charge_outcome(429, b"{}"), unknown);
        let processing = br#"{"id":"pi_3","status":"processing"}"#;
        assert_eq!(
            charge_outcome(200, processing),
            ChargeOutcome::Unknown {
                reference: Some("pi_3".into())
            }
        );
    }

    #[test]
    fn a_setup_intent_names_its_card_id_or_object() {
        assert_eq!(
            setup_method(br#"{"payment_method":"pm_1"}"#),
            Some("pm_1".into())
        );
        assert_eq!(
            setup_method(br#"{"payment_method":{"id":"pm_2"}}"#),
            Some("pm_2".into())
        );
        assert_eq!(setup_method(br#"{"payment_method":null}"#), None);
        assert_eq!(
            created(br#"{"id":"cs_1","url":"https://checkout.stripe.com/c/pay/cs_1"}"#)
                .and_then(|c| c.url),
            Some("https://checkout.stripe.com/c/pay/cs_1".into())
        );
    }
}
