//! The instance's settings, from wrangler vars and secrets (`.dev.vars` in local development).

use worker::Env;

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
    pub client_address: domain::limits::ClientAddress,
}

/// An HTTP mail API that takes `{from, to, subject, text}` with a bearer key (Resend's shape).
pub struct MailApi {
    pub url: String,
    pub key: String,
    pub from: String,
}

impl Config {
    pub fn from_env(env: &Env) -> Config {
        let var = |name: &str| env.var(name).ok().map(|v| v.to_string());
        let secret = |name: &str| {
            env.secret(name)
                .ok()
                .map(|v| v.to_string())
                .or_else(|| var(name))
        };
        let mail = match (
            var("MAIL_API_URL"),
            secret("MAIL_API_KEY"),
            var("MAIL_FROM"),
        ) {
            (Some(url), Some(key), Some(from)) => Some(MailApi { url, key, from }),
            _ => None,
        };
        Config {
            development: var("ENVIRONMENT").as_deref() == Some("development"),
            admin_emails: var("ADMIN_EMAILS").unwrap_or_default(),
            mail,
            stripe_webhook_secret: secret("STRIPE_WEBHOOK_SECRET").filter(|s| !s.is_empty()),
            stripe_secret_key: secret("STRIPE_SECRET_KEY").filter(|s| !s.is_empty()),
            site_url: var("SITE_URL").unwrap_or_else(|| "http://127.0.0.1:8787".into()),
            client_address: domain::limits::ClientAddress::from_setting(
                var("CLIENT_ADDRESS").as_deref(),
            ),
        }
    }
}
