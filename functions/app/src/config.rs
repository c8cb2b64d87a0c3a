//! The instance's settings, read by each host from its own source (wrangler vars and secrets,
//! environment variables or a file) through one lookup, so both hosts read the same names.

use domain::limits::ClientAddress;

pub struct Config {
    pub development: bool,
    pub admin_emails: String,
    pub mail: Option<MailApi>,
    /// Checks the payment provider's webhooks (and signs the development checkout's).
    pub stripe_webhook_secret: Option<String>,
    /// Stripe's API; without it, donations and pledges need the development stand-in.
    pub stripe_secret_key: Option<String>,
    /// The public address, for links in mail the scheduled run sends (no request to read it from).
    pub site_url: String,
    /// Where the client's address comes from, for the limits per client (`CLIENT_ADDRESS`).
    pub client_address: ClientAddress,
}

/// An HTTP mail API that takes `{from, to, subject, text}` with a bearer key (Resend's shape).
#[derive(Clone)]
pub struct MailApi {
    pub url: String,
    pub key: String,
    pub from: String,
}

impl Config {
    /// The settings from `lookup(name)`, which gives a variable's or a secret's value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Config {
        let mail = match (
            lookup("MAIL_API_URL"),
            lookup("MAIL_API_KEY"),
            lookup("MAIL_FROM"),
        ) {
            (Some(url), Some(key), Some(from)) => Some(MailApi { url, key, from }),
            _ => None,
        };
        Config {
            development: lookup("ENVIRONMENT").as_deref() == Some("development"),
            admin_emails: lookup("ADMIN_EMAILS").unwrap_or_default(),
            mail,
            stripe_webhook_secret: lookup("STRIPE_WEBHOOK_SECRET").filter(|s| !s.is_empty()),
            stripe_secret_key: lookup("STRIPE_SECRET_KEY").filter(|s| !s.is_empty()),
            site_url: lookup("SITE_URL").unwrap_or_else(|| "http://127.0.0.1:8787".into()),
            client_address: ClientAddress::from_setting(lookup("CLIENT_ADDRESS").as_deref()),
        }
    }
}
