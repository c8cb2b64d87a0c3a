//! Donations: what a person may give, and what the provider's events mean for a donation.
//! The provider's event shapes are Stripe's (Checkout Sessions and invoices).

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One euro: below it, fees would eat the gift.
pub const MIN_CENTS: i64 = 100;
/// Ten thousand euros: above it, the treasurer records a transfer by hand.
pub const MAX_CENTS: i64 = 1_000_000;
pub const CURRENCIES: [&str; 1] = ["EUR"];

/// How long a one-off gift makes its giver a donor (who may propose features, vote among the
/// instance's donors, and counts in the public number of donors): a year.
pub const DONOR_FOR_SECS: i64 = 365 * 24 * 3600;

/// The earliest confirmation of a one-off gift that still makes a donor at `now`.
pub fn donors_since(now: i64) -> i64 {
    now - DONOR_FOR_SECS
}

/// Where a donation stands: asked and not paid yet; a one-off gift paid; a monthly gift running;
/// stopped (or never paid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DonationStatus {
    Pending,
    Confirmed,
    Active,
    Canceled,
}

impl DonationStatus {
    pub const ALL: [DonationStatus; 4] = [
        DonationStatus::Pending,
        DonationStatus::Confirmed,
        DonationStatus::Active,
        DonationStatus::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DonationStatus::Pending => "pending",
            DonationStatus::Confirmed => "confirmed",
            DonationStatus::Active => "active",
            DonationStatus::Canceled => "canceled",
        }
    }

    /// Whether a donation in this state, confirmed at `confirmed_at`, makes its giver a donor at
    /// `now`: a monthly gift while it runs, a one-off gift for a year (`DONOR_FOR_SECS`).
    /// (`store::funding::IS_DONOR` and the summary's count say the same; a store test compares
    /// them over every state.)
    pub fn makes_donor(self, confirmed_at: Option<i64>, now: i64) -> bool {
        match self {
            DonationStatus::Active => true,
            DonationStatus::Confirmed => confirmed_at.is_some_and(|at| at >= donors_since(now)),
            DonationStatus::Pending | DonationStatus::Canceled => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recurring {
    None,
    Monthly,
}

impl Recurring {
    pub fn as_str(self) -> &'static str {
        match self {
            Recurring::None => "none",
            Recurring::Monthly => "monthly",
        }
    }
}

/// `POST /api/donations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DonationInput {
    pub amount_cents: i64,
    pub currency: Option<String>,
    pub recurring: Option<Recurring>,
}

/// A donation as asked, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationRequest {
    pub amount_cents: i64,
    pub currency: String,
    pub recurring: Recurring,
}

impl DonationInput {
    pub fn check(self) -> Result<DonationRequest, ApiError> {
        if !(MIN_CENTS..=MAX_CENTS).contains(&self.amount_cents) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "amount_cents"));
        }
        let currency = currency(self.currency)?;
        Ok(DonationRequest {
            amount_cents: self.amount_cents,
            currency,
            recurring: self.recurring.unwrap_or(Recurring::None),
        })
    }
}

/// `POST /api/donations/manual` (the treasurer): a gift received outside the provider, by bank
/// transfer, cheque or cash.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualInput {
    pub amount_cents: i64,
    pub currency: Option<String>,
    pub method: String,
    /// The treasurer's own reference (a bank statement line): each is recorded once.
    pub reference: String,
}

/// A manual gift, checked: amount, currency, and the movement's source for the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualGift {
    pub amount_cents: i64,
    pub currency: String,
    pub source: String,
}

pub const MANUAL_METHODS: [&str; 3] = ["virement", "cheque", "especes"];

impl ManualInput {
    pub fn check(self) -> Result<ManualGift, ApiError> {
        if !(1..=100_000_000).contains(&self.amount_cents) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "amount_cents"));
        }
        if !MANUAL_METHODS.contains(&self.method.as_str()) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "method"));
        }
        let reference = self.reference.trim();
        if reference.is_empty() || reference.chars().count() > 80 {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "reference"));
        }
        Ok(ManualGift {
            amount_cents: self.amount_cents,
            currency: currency(self.currency)?,
            source: format!("manual:{}:{reference}", self.method),
        })
    }
}

/// An amount as French readers write it: `1 234,50 €` (narrow spaces between thousands).
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let (units, rest) = (cents.abs() / 100, cents.abs() % 100);
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{rest:02}\u{a0}€")
}

/// The currency asked (euros when none), if we take it.
pub fn currency(asked: Option<String>) -> Result<String, ApiError> {
    let currency = asked.unwrap_or_else(|| "EUR".into()).to_uppercase();
    if !CURRENCIES.contains(&currency.as_str()) {
        return Err(ApiError::on_field(ErrorCode::InvalidField, "currency"));
    }
    Ok(currency)
}

/// A donation as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct DonationRow {
    pub id: String,
    pub person_id: Option<String>,
    pub amount_cents: i64,
    pub currency: String,
    pub recurring: Recurring,
    pub status: DonationStatus,
    pub provider: String,
    pub checkout_ref: Option<String>,
    pub subscription_ref: Option<String>,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    pub canceled_at: Option<i64>,
}

/// A donation as its donor sees it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DonationView {
    pub id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub recurring: Recurring,
    pub status: DonationStatus,
    pub created_at: String,
}

impl DonationRow {
    pub fn view(&self) -> DonationView {
        DonationView {
            id: self.id.clone(),
            amount_cents: self.amount_cents,
            currency: self.currency.clone(),
            recurring: self.recurring,
            status: self.status,
            created_at: crate::time::rfc3339(self.created_at),
        }
    }

    /// The ledger's reference for money about this donation (an id, never a person).
    pub fn reference(&self) -> String {
        format!("donation:{}", self.id)
    }
}

/// `GET /api/funding/summary`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub donors: i64,
    pub monthly_cents: i64,
    pub total_cents: i64,
    #[serde(default = "euro")]
    pub currency: String,
}

fn euro() -> String {
    "EUR".into()
}

/// What a provider event means for the donations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A checkout finished for a donation: a one-off gift is paid (and entered in the ledger
    /// under `source`); a monthly one starts (its payments come as invoices).
    CheckoutCompleted {
        donation_id: String,
        subscription: Option<String>,
        paid: Option<Payment>,
    },
    /// A monthly payment went through. The ledger enters it under the invoice; `also_named`
    /// are the provider's other names for it (payment intent, charge), which a refund uses.
    InvoicePaid {
        donation_id: Option<String>,
        subscription: Option<String>,
        payment: Payment,
        also_named: Vec<String>,
    },
    /// Which payment paid an invoice (`invoice_payment.paid`): since Stripe's API of
    /// 2025-03-31 neither the invoice nor the charge names the other, and a refund names only
    /// the payment intent and the charge.
    InvoicePaymentNamed { invoice: String, names: Vec<String> },
    /// A one-off gift's checkout finished with a payment method that settles later (SEPA
    /// debit): nothing is entered before the money is (`…async_payment_succeeded`).
    AwaitingPayment { donation_id: String },
    /// That later payment failed: the gift will not come.
    PaymentFailed { donation_id: String },
    /// A backer saved a card for a pledge (a Checkout Session in setup mode).
    SetupCompleted {
        pledge_id: String,
        setup_intent: Option<String>,
        customer: Option<String>,
    },
    /// The subscription ended (canceled by the donor or by the provider).
    SubscriptionEnded { subscription: String },
    /// Money paid back, from the provider's dashboard or through the API: `paid_by` names the
    /// payment refunded as the ledger may know it (payment intent, invoice, charge), and each
    /// refund that went through is a movement of its own (its id is its `source`).
    Refunded {
        paid_by: Vec<String>,
        refunds: Vec<Payment>,
    },
    /// Nothing for us (an event type we do not use).
    Ignored,
}

/// A payment as the ledger entered it, when a refund pays it back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RefundedPayment {
    #[serde(rename = "ref")]
    pub reference: String,
    pub amount_cents: i64,
    pub currency: String,
}

/// What a payment paid back in full stops counting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaidBack {
    /// A charged pledge becomes refunded: it no longer counts towards its feature.
    Pledge(String),
    /// A one-off gift is canceled: its donor no longer counts as one (nor votes as one). A
    /// monthly gift's invoice paid back leaves the subscription running.
    Donation(String),
}

impl RefundedPayment {
    /// Whether `refunds` (those of one payment) pay it back in full, and what then changes. A
    /// partial refund changes nothing but the ledger, where both movements show.
    pub fn paid_back(&self, refunds: &[Payment]) -> Option<PaidBack> {
        let back: i64 = refunds
            .iter()
            .filter(|r| r.currency == self.currency)
            .map(|r| r.amount_cents)
            .sum();
        if back < self.amount_cents {
            return None;
        }
        let (kind, id) = self.reference.split_once(':')?;
        match kind {
            "pledge" => Some(PaidBack::Pledge(id.to_string())),
            "donation" => Some(PaidBack::Donation(id.to_string())),
            _ => None,
        }
    }
}

/// Money received: how much, and the provider's id for that movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub amount_cents: i64,
    pub currency: String,
    pub source: String,
}

/// A provider event: `{"id", "type", "data": {"object": {…}}}`.
#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: Value,
}

/// A refund object that went through, as a movement.
fn refund(object: &Value) -> Option<Payment> {
    if text(object, &["status"]).as_deref() != Some("succeeded") {
        return None;
    }
    Some(Payment {
        amount_cents: object
            .get("amount")
            .and_then(Value::as_i64)
            .filter(|a| *a > 0)?,
        currency: text(object, &["currency"])?.to_uppercase(),
        source: text(object, &["id"])?,
    })
}

/// The payment intent and charge of an invoice payment (under `payment`, or at its top level
/// in later API versions).
fn payment_names(invoice_payment: &Value) -> Vec<String> {
    ["payment_intent", "charge"]
        .iter()
        .flat_map(|key| {
            [
                text(invoice_payment, &["payment", key]),
                text(invoice_payment, &[key]),
            ]
        })
        .flatten()
        .collect()
}

fn refunded(paid_by: Vec<String>, refunds: Vec<Payment>) -> Effect {
    if paid_by.is_empty() || refunds.is_empty() {
        return Effect::Ignored;
    }
    Effect::Refunded { paid_by, refunds }
}

fn text(object: &Value, path: &[&str]) -> Option<String> {
    let mut value = object;
    for key in path {
        value = value.get(key)?;
    }
    value.as_str().map(str::to_string)
}

impl Event {
    pub fn parse(body: &[u8]) -> Result<Event, ApiError> {
        serde_json::from_slice(body).map_err(|_| ApiError::new(ErrorCode::InvalidJson))
    }

    pub fn effect(&self) -> Effect {
        let object = &self.data.object;
        let amount = |key: &str| object.get(key).and_then(Value::as_i64);
        let currency = || {
            text(object, &["currency"])
                .unwrap_or_default()
                .to_uppercase()
        };
        match self.type_.as_str() {
            "checkout.session.async_payment_failed" => match text(object, &["client_reference_id"])
            {
                Some(donation_id) => Effect::PaymentFailed { donation_id },
                None => Effect::Ignored,
            },
            "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
                let mode = text(object, &["mode"]).unwrap_or_default();
                let Some(donation_id) = text(object, &["client_reference_id"]) else {
                    return Effect::Ignored;
                };
                if mode == "setup" {
                    return Effect::SetupCompleted {
                        pledge_id: donation_id,
                        setup_intent: text(object, &["setup_intent"]),
                        customer: text(object, &["customer"]),
                    };
                }
                // Money not yet received (a delayed method) is not entered in the ledger.
                if mode == "payment" && text(object, &["payment_status"]).as_deref() != Some("paid")
                {
                    return Effect::AwaitingPayment { donation_id };
                }
                let paid = match (mode.as_str(), amount("amount_total")) {
                    ("payment", Some(total)) => Some(Payment {
                        amount_cents: total,
                        currency: currency(),
                        source: text(object, &["payment_intent"])
                            .unwrap_or_else(|| text(object, &["id"]).unwrap_or_default()),
                    }),
                    ("subscription", _) => None,
                    _ => return Effect::Ignored,
                };
                Effect::CheckoutCompleted {
                    donation_id,
                    subscription: text(object, &["subscription"]),
                    paid,
                }
            }
            "invoice.paid" => {
                let Some(total) = amount("amount_paid").filter(|a| *a > 0) else {
                    return Effect::Ignored;
                };
                // Where the subscription's metadata sits depends on the API version.
                let donation_id = text(
                    object,
                    &["parent", "subscription_details", "metadata", "donation_id"],
                )
                .or_else(|| text(object, &["subscription_details", "metadata", "donation_id"]));
                let subscription = text(object, &["subscription"])
                    .or_else(|| text(object, &["parent", "subscription_details", "subscription"]));
                // Older API versions name the payment on the invoice; later ones only when its
                // payments are included, else `invoice_payment.paid` tells.
                let paid_with = object.pointer("/payments/data").and_then(Value::as_array);
                let also_named = ["payment_intent", "charge"]
                    .iter()
                    .filter_map(|key| text(object, &[key]))
                    .chain(paid_with.into_iter().flatten().flat_map(payment_names))
                    .collect();
                Effect::InvoicePaid {
                    donation_id,
                    subscription,
                    payment: Payment {
                        amount_cents: total,
                        currency: currency(),
                        source: text(object, &["id"]).unwrap_or_default(),
                    },
                    also_named,
                }
            }
            "invoice_payment.paid" => {
                let names = payment_names(object);
                match text(object, &["invoice"]) {
                    Some(invoice) if !names.is_empty() => {
                        Effect::InvoicePaymentNamed { invoice, names }
                    }
                    _ => Effect::Ignored,
                }
            }
            // A charge lists its refunds (when the API version expands them); a refund event
            // carries one. The same refund in both is entered once (by its id).
            "charge.refunded" => {
                let refunds = object
                    .pointer("/refunds/data")
                    .and_then(Value::as_array)
                    .map(|list| list.iter().filter_map(refund).collect())
                    .unwrap_or_default();
                let paid_by = ["payment_intent", "invoice", "id"]
                    .iter()
                    .filter_map(|key| text(object, &[key]))
                    .collect();
                refunded(paid_by, refunds)
            }
            "refund.created" | "refund.updated" | "charge.refund.updated" => {
                let paid_by = ["payment_intent", "charge"]
                    .iter()
                    .filter_map(|key| text(object, &[key]))
                    .collect();
                refunded(paid_by, refund(object).into_iter().collect())
            }
            "customer.subscription.deleted" => match text(object, &["id"]) {
                Some(subscription) => Effect::SubscriptionEnded { subscription },
                None => Effect::Ignored,
            },
            _ => Effect::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn donors_gave_within_a_year_or_give_monthly() {
        use DonationStatus as S;
        let now = 400 * 24 * 3600;
        assert!(S::Confirmed.makes_donor(Some(now - 10), now));
        assert!(S::Confirmed.makes_donor(Some(donors_since(now)), now));
        assert!(!S::Confirmed.makes_donor(Some(donors_since(now) - 1), now));
        assert!(S::Active.makes_donor(None, now));
        assert!(!S::Pending.makes_donor(Some(now), now));
        assert!(!S::Canceled.makes_donor(Some(now), now));
    }
    use serde_json::json;

    fn event(type_: &str, object: Value) -> Event {
        serde_json::from_value(json!({"id": "evt_1", "type": type_, "data": {"object": object}}))
            .unwrap()
    }

    #[test]
    fn amounts_read_the_french_way() {
        assert_eq!(euros(260_000), "2\u{202f}600,00\u{a0}€");
        assert_eq!(euros(5), "0,05\u{a0}€");
        assert_eq!(euros(123_456_789), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(euros(-500), "-5,00\u{a0}€");
    }

    #[test]
    fn a_manual_gift_names_how_it_came_and_its_bank_reference() {
        let input = |method: &str, reference: &str| ManualInput {
            amount_cents: 5000,
            currency: None,
            method: method.into(),
            reference: reference.into(),
        };
        assert_eq!(
            input("virement", " VIR 2026-11-03 ")
                .check()
                .unwrap()
                .source,
            "manual:virement:VIR 2026-11-03"
        );
        assert_eq!(
            input("bitcoin", "x").check().unwrap_err().field.as_deref(),
            Some("method")
        );
        assert_eq!(
            input("especes", "").check().unwrap_err().field.as_deref(),
            Some("reference")
        );
    }

    #[test]
    fn amounts_and_currencies_are_checked() {
        let ask = |json: Value| {
            serde_json::from_value::<DonationInput>(json)
                .unwrap()
                .check()
        };
        let ok = ask(json!({"amount_cents": 500, "recurring": "monthly"})).unwrap();
        assert_eq!(
            (ok.currency.as_str(), ok.recurring),
            ("EUR", Recurring::Monthly)
        );
        assert_eq!(
            ask(json!({"amount_cents": 500})).unwrap().recurring,
            Recurring::None
        );
        for (body, field) in [
            (json!({"amount_cents": 99}), "amount_cents"),
            (json!({"amount_cents": 1_000_001}), "amount_cents"),
            (json!({"amount_cents": 500, "currency": "USD"}), "currency"),
        ] {
            assert_eq!(ask(body).unwrap_err().field.as_deref(), Some(field));
        }
        assert!(
            serde_json::from_value::<DonationInput>(
                json!({"amount_cents": 5, "recurring": "weekly"})
            )
            .is_err()
        );
    }

    #[test]
    fn a_paid_checkout_confirms_its_donation_once_with_its_payment() {
        let e = event(
            "checkout.session.completed",
            json!({"id": "cs_1", "mode": "payment", "client_reference_id": "d_1", "amount_total": 2000,
                   "currency": "eur", "payment_intent": "pi_1", "payment_status": "paid"}),
        );
        assert_eq!(
            e.effect(),
            Effect::CheckoutCompleted {
                donation_id: "d_1".into(),
                subscription: None,
                paid: Some(Payment {
                    amount_cents: 2000,
                    currency: "EUR".into(),
                    source: "pi_1".into()
                }),
            }
        );
    }

    #[test]
    fn a_delayed_payment_is_entered_when_it_succeeds_and_never_when_it_fails() {
        let session = |status: &str| {
            json!({"id": "cs_3", "mode": "payment", "client_reference_id": "d_3", "amount_total": 1500,
                   "currency": "eur", "payment_intent": "pi_3", "payment_status": status})
        };
        let waiting = Effect::AwaitingPayment {
            donation_id: "d_3".into(),
        };
        assert_eq!(
            event("checkout.session.completed", session("unpaid")).effect(),
            waiting
        );
        assert!(matches!(
            event("checkout.session.async_payment_succeeded", session("paid")).effect(),
            Effect::CheckoutCompleted {
                paid: Some(Payment {
                    amount_cents: 1500,
                    ..
                }),
                ..
            }
        ));
        assert_eq!(
            event("checkout.session.async_payment_failed", session("unpaid")).effect(),
            Effect::PaymentFailed {
                donation_id: "d_3".into()
            }
        );
    }

    #[test]
    fn a_monthly_gift_starts_at_checkout_and_is_paid_by_invoices() {
        let started = event(
            "checkout.session.completed",
            json!({"id": "cs_2", "mode": "subscription", "client_reference_id": "d_2", "amount_total": 500,
                   "currency": "eur", "subscription": "sub_1"}),
        );
        assert_eq!(
            started.effect(),
            Effect::CheckoutCompleted {
                donation_id: "d_2".into(),
                subscription: Some("sub_1".into()),
                paid: None
            }
        );
        let paid = event(
            "invoice.paid",
            json!({"id": "in_1", "amount_paid": 500, "currency": "eur",
                   "parent": {"subscription_details": {"subscription": "sub_1", "metadata": {"donation_id": "d_2"}}}}),
        );
        assert_eq!(
            paid.effect(),
            Effect::InvoicePaid {
                donation_id: Some("d_2".into()),
                subscription: Some("sub_1".into()),
                payment: Payment {
                    amount_cents: 500,
                    currency: "EUR".into(),
                    source: "in_1".into()
                },
                also_named: Vec::new(),
            }
        );
    }

    #[test]
    fn an_invoice_s_payment_is_known_by_its_other_names_whatever_the_api_version() {
        let names_of = |object: Value| match event("invoice.paid", object).effect() {
            Effect::InvoicePaid { also_named, .. } => also_named,
            other => panic!("{other:?}"),
        };
        // Before 2025-03-31: on the invoice itself.
        let old = json!({"id": "in_1", "amount_paid": 500, "currency": "eur", "subscription": "sub_1",
                         "payment_intent": "pi_1", "charge": "ch_1"});
        assert_eq!(names_of(old), ["pi_1", "ch_1"]);
        // Later, with the invoice's payments included.
        let basil = json!({"id": "in_1", "amount_paid": 500, "currency": "eur",
                           "payments": {"data": [{"payment": {"type": "payment_intent", "payment_intent": "pi_2"}}]}});
        assert_eq!(names_of(basil), ["pi_2"]);
        // Or told apart, in the invoice payment's own event (both shapes it has had).
        let paid = |object: Value| event("invoice_payment.paid", object).effect();
        assert_eq!(
            paid(json!({"id": "inpay_1", "invoice": "in_3", "status": "paid",
                        "payment": {"type": "payment_intent", "payment_intent": "pi_3"}})),
            Effect::InvoicePaymentNamed {
                invoice: "in_3".into(),
                names: vec!["pi_3".into()]
            }
        );
        assert_eq!(
            paid(
                json!({"id": "inpay_2", "invoice": "in_4", "payment_intent": null, "charge": "ch_4"})
            ),
            Effect::InvoicePaymentNamed {
                invoice: "in_4".into(),
                names: vec!["ch_4".into()]
            }
        );
        assert_eq!(
            paid(json!({"id": "inpay_3", "invoice": "in_5", "payment": {}})),
            Effect::Ignored
        );
    }

    #[test]
    fn refunds_name_the_payment_they_pay_back() {
        let done = |id: &str, amount: i64| json!({"id": id, "object": "refund", "amount": amount, "currency": "eur", "status": "succeeded"});
        let charge = json!({
            "id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount": 2000,
            "amount_refunded": 1500, "currency": "eur",
            "refunds": {"data": [done("re_1", 500), done("re_2", 1000), {"id": "re_3", "amount": 300, "currency": "eur", "status": "failed"}]}
        });
        let euros = |source: &str, amount_cents: i64| Payment {
            amount_cents,
            currency: "EUR".into(),
            source: source.into(),
        };
        assert_eq!(
            event("charge.refunded", charge).effect(),
            Effect::Refunded {
                paid_by: vec!["pi_1".into(), "ch_1".into()],
                refunds: vec![euros("re_1", 500), euros("re_2", 1000)]
            }
        );
        let mut one = done("re_4", 700);
        one["payment_intent"] = json!("pi_2");
        one["charge"] = json!("ch_2");
        assert_eq!(
            event("refund.created", one).effect(),
            Effect::Refunded {
                paid_by: vec!["pi_2".into(), "ch_2".into()],
                refunds: vec![euros("re_4", 700)]
            }
        );
    }

    #[test]
    fn only_a_payment_paid_back_in_full_stops_counting() {
        let paid = |reference: &str| RefundedPayment {
            reference: reference.into(),
            amount_cents: 2000,
            currency: "EUR".into(),
        };
        let back = |amounts: &[i64]| -> Vec<Payment> {
            amounts
                .iter()
                .enumerate()
                .map(|(i, a)| Payment {
                    amount_cents: *a,
                    currency: "EUR".into(),
                    source: format!("re_{i}"),
                })
                .collect()
        };
        assert_eq!(
            paid("pledge:pl_1").paid_back(&back(&[2000])),
            Some(PaidBack::Pledge("pl_1".into()))
        );
        assert_eq!(
            paid("donation:d_1").paid_back(&back(&[500, 1500])),
            Some(PaidBack::Donation("d_1".into()))
        );
        assert_eq!(paid("donation:d_1").paid_back(&back(&[500])), None);
        assert_eq!(paid("feature:f_1").paid_back(&back(&[2000])), None);
    }

    #[test]
    fn other_events_change_nothing() {
        let setup = event(
            "checkout.session.completed",
            json!({"mode": "setup", "client_reference_id": "p_1", "setup_intent": "seti_1", "customer": "cus_1"}),
        );
        assert_eq!(
            setup.effect(),
            Effect::SetupCompleted {
                pledge_id: "p_1".into(),
                setup_intent: Some("seti_1".into()),
                customer: Some("cus_1".into())
            }
        );
        assert_eq!(
            event("invoice.paid", json!({"id": "in_0", "amount_paid": 0})).effect(),
            Effect::Ignored
        );
        assert_eq!(
            event("charge.refunded", json!({})).effect(),
            Effect::Ignored
        );
        assert_eq!(
            event("refund.updated", json!({"id": "re_1", "payment_intent": "pi_1", "amount": 500, "currency": "eur", "status": "pending"})).effect(),
            Effect::Ignored,
            "not through yet"
        );
        assert!(Event::parse(b"not json").is_err());
    }
}
