//! Mail through an SMTP server (`app::ports::Mailer`), configured by `SMTP_URL` and `MAIL_FROM`.
//! `SMTP_URL` takes three forms:
//!
//! - `smtps://user:password@smtp.example.org` — TLS from the first byte (port 465 by default);
//! - `smtp://user:password@smtp.example.org:587` — STARTTLS, required: nothing (password
//!   included) is sent before the connection is encrypted (port 587 by default);
//! - `smtp://127.0.0.1:2525` — plain, only to this machine (`127.0.0.0/8`, `::1`, `localhost`):
//!   a local relay (Postfix, OpenSMTPD) or a test's server (port 25 by default).
//!
//! The user and the password are optional, and percent-encoded in the URL (`@` as `%40`). The
//! password is never written anywhere: the log and the doctor show `shown()`, the address
//! without it. TLS is rustls with Mozilla's root certificates, as for the other services.

use app::ports::{Later, Mailer};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;
use url::{Host, Url};

/// The longest one SMTP command may wait for its answer (the sign-in request waits for its mail).
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtps://`: TLS from the start.
    Tls,
    /// `smtp://` to another machine: STARTTLS, required.
    StartTls,
    /// `smtp://` to this machine: plain.
    Plain,
}

/// `SMTP_URL` read: where, how, and the credentials (the password never shown).
#[derive(Clone)]
pub struct Endpoint {
    pub security: Security,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    password: Option<String>,
}

impl Endpoint {
    /// The address without its password, for the log and the doctor:
    /// `smtps://bonjour@smtp.example.org:465 (TLS)`.
    pub fn shown(&self) -> String {
        let (scheme, how) = match self.security {
            Security::Tls => ("smtps", "TLS"),
            Security::StartTls => ("smtp", "STARTTLS"),
            Security::Plain => ("smtp", "sans chiffrement, cette machine seulement"),
        };
        // As SMTP_URL writes it: an address as user keeps its `@` encoded.
        let user = self
            .user
            .as_deref()
            .map(|u| format!("{}@", u.replace('%', "%25").replace('@', "%40")))
            .unwrap_or_default();
        let host = match self.host.contains(':') {
            true => format!("[{}]", self.host),
            false => self.host.clone(),
        };
        format!("{scheme}://{user}{host}:{} ({how})", self.port)
    }
}

/// Reads `SMTP_URL`. An error never quotes the setting (it may hold a password).
pub fn endpoint(setting: &str) -> Result<Endpoint, String> {
    let url = Url::parse(setting.trim()).map_err(|e| format!("SMTP_URL illisible ({e})"))?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err("SMTP_URL commence par smtp:// ou smtps://".into());
    }
    if url.query().is_some() || url.fragment().is_some() || !matches!(url.path(), "" | "/") {
        return Err(
            "SMTP_URL n'a ni chemin ni paramètres : schéma://utilisateur:mot-de-passe@hôte:port"
                .into(),
        );
    }
    // smtp:// is not a special scheme: its host is opaque text, an IPv4 address included.
    let address = |name: &str| name.parse::<std::net::IpAddr>().ok();
    let (host, loopback) = match url.host() {
        Some(Host::Domain(name)) if !name.is_empty() => match address(name) {
            Some(ip) => (ip.to_string(), ip.is_loopback()),
            None => (name.to_string(), name.eq_ignore_ascii_case("localhost")),
        },
        Some(Host::Ipv4(ip)) => (ip.to_string(), ip.is_loopback()),
        Some(Host::Ipv6(ip)) => (ip.to_string(), ip.is_loopback()),
        _ => return Err("SMTP_URL ne nomme pas de serveur".into()),
    };
    let security = match (url.scheme(), loopback) {
        ("smtps", _) => Security::Tls,
        (_, true) => Security::Plain,
        (_, false) => Security::StartTls,
    };
    let port = url.port().unwrap_or(match security {
        Security::Tls => 465,
        Security::StartTls => 587,
        Security::Plain => 25,
    });
    let undecodable = || "SMTP_URL : utilisateur ou mot de passe mal encodé (%XX en UTF-8)";
    let user = match url.username() {
        "" => None,
        user => Some(decode(user).ok_or_else(undecodable)?),
    };
    let password = match url.password() {
        None => None,
        Some(password) => Some(decode(password).ok_or_else(undecodable)?),
    };
    Ok(Endpoint {
        security,
        host,
        port,
        user,
        password,
    })
}

/// A percent-encoded part of a URL, decoded; None when it is not UTF-8 then.
fn decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = || std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok();
        match (bytes[i], hex().and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The mailer: one SMTP connection per mail (a few an hour: no pool to keep alive).
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    endpoint: Endpoint,
}

impl Smtp {
    /// The mailer for `SMTP_URL` (`setting`), sending as `from` (`MAIL_FROM`: `bonjour@…` or
    /// `Communs <bonjour@…>`), introducing itself with the site's host name (`site_url`).
    pub fn new(setting: &str, from: &str, site_url: &str) -> Result<Smtp, String> {
        let endpoint = endpoint(setting)?;
        let from: Mailbox = from.trim().parse().map_err(|e| {
            format!("MAIL_FROM « {from} » n'est pas une adresse (« Communs <bonjour@communs.exemple> ») : {e}")
        })?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&endpoint.host)
            .port(endpoint.port)
            .timeout(Some(TIMEOUT));
        let tls = || {
            TlsParameters::new(endpoint.host.clone()).map_err(|e| format!("SMTP_URL : TLS : {e}"))
        };
        builder = match endpoint.security {
            Security::Tls => builder.tls(Tls::Wrapper(tls()?)),
            // Required: no password, no mail before the connection is encrypted.
            Security::StartTls => builder.tls(Tls::Required(tls()?)),
            Security::Plain => builder,
        };
        if let Some(user) = &endpoint.user {
            let password = endpoint.password.clone().unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        if let Some(name) = greeting_name(site_url) {
            builder = builder.hello_name(ClientId::Domain(name));
        }
        Ok(Smtp {
            transport: builder.build(),
            from,
            endpoint,
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn from(&self) -> String {
        self.from.to_string()
    }

    /// Connects, greets, encrypts and signs in as a mail would, then quits; the error said in
    /// French with how to mend it (the doctor's check).
    pub async fn test_connection(&self) -> Result<(), Unreachable> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(Unreachable {
                message: "le serveur a accepté la connexion mais ne répond pas à NOOP".into(),
                remedy: "vérifiez que SMTP_URL nomme bien un serveur SMTP".into(),
            }),
            Err(error) => Err(Unreachable::from(&self.endpoint, &error)),
        }
    }
}

/// The name the mailer gives itself (EHLO): the site's host when it is a domain name.
fn greeting_name(site_url: &str) -> Option<String> {
    match Url::parse(site_url).ok()?.host()? {
        Host::Domain(name) if name.contains('.') => Some(name.to_string()),
        _ => None,
    }
}

/// What went wrong on the way to the SMTP server, for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    pub message: String,
    pub remedy: String,
}

impl Unreachable {
    fn from(endpoint: &Endpoint, error: &lettre::transport::smtp::Error) -> Unreachable {
        let at = endpoint.shown();
        let forms = "smtps://… pour le port 465 (TLS d'emblée), smtp://…:587 pour STARTTLS";
        let (message, remedy) = if error.is_timeout() {
            (
                format!("{at} ne répond pas ({error})"),
                "vérifiez l'hôte et le port, et que le pare-feu (de la machine ou de l'hébergeur) \
                 laisse sortir vers ce port : beaucoup d'hébergeurs bloquent le port 25, prenez \
                 587 ou 465"
                    .to_string(),
            )
        } else if error.is_tls() || tls_failed(error) {
            (
                format!("{at} : la négociation TLS a échoué ({error})"),
                format!(
                    "vérifiez le schéma ({forms}) et que le certificat du serveur est valide pour \
                     le nom {}",
                    endpoint.host
                ),
            )
        } else if error.status().is_some_and(|code| code.to_string() == "535")
            || (error.is_permanent() && endpoint.user.is_some())
        {
            (
                format!("{at} refuse l'identifiant ou le mot de passe ({error})"),
                "vérifiez l'utilisateur et le mot de passe de SMTP_URL ; leurs caractères \
                 spéciaux s'écrivent encodés (@ → %40, : → %3A, / → %2F, % → %25)"
                    .to_string(),
            )
        } else if error.is_client() && endpoint.security == Security::StartTls {
            (
                format!("{at} : {error}"),
                format!(
                    "le serveur ne propose pas STARTTLS (ou pas l'authentification demandée) : \
                     essayez l'autre forme ({forms})"
                ),
            )
        } else {
            (
                format!("{at} injoignable ({error})"),
                "vérifiez l'hôte et le port de SMTP_URL, que le serveur tourne, et que le \
                 pare-feu laisse sortir vers ce port (beaucoup d'hébergeurs bloquent le port 25 : \
                 prenez 587 ou 465)"
                    .to_string(),
            )
        };
        Unreachable { message, remedy }
    }
}

/// Whether the TLS handshake failed: lettre reports rustls's errors (a plain server answering a
/// TLS hello, a certificate for another name) as connection errors; their text says which.
fn tls_failed(error: &lettre::transport::smtp::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(cause) = source {
        let text = cause.to_string().to_ascii_lowercase();
        if ["corrupt message", "certificate", "handshake", "tls"]
            .iter()
            .any(|word| text.contains(word))
        {
            return true;
        }
        source = cause.source();
    }
    false
}

impl Mailer for Smtp {
    fn send<'a>(&'a self, message: &'a domain::mail::Message) -> Later<'a, Result<(), String>> {
        Box::pin(async move {
            let to: Mailbox = message
                .to
                .parse()
                .map_err(|e| format!("{}: not an address ({e})", message.to))?;
            let mut builder = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(message.subject.as_str())
                .message_id(Some(message_id(self.from.email.domain())))
                .header(ContentType::TEXT_PLAIN);
            // One-click unsubscribe (RFC 8058): the address, and the POST that needs no sign-in.
            if let Some(url) = &message.unsubscribe {
                for (name, value) in domain::mail::unsubscribe_headers(url) {
                    builder = builder.raw_header(lettre::message::header::HeaderValue::new(
                        lettre::message::header::HeaderName::new_from_ascii_str(name),
                        value,
                    ));
                }
            }
            let email = builder
                .body(message.body.clone())
                .map_err(|e| format!("mail to {}: {e}", message.to))?;
            // The error names the server without its password, and the server's answer.
            self.transport
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| format!("SMTP {}: {e}", self.endpoint.shown()))
        })
    }
}

/// A fresh `Message-ID` in the sender's domain.
fn message_id(domain: &str) -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{id}@{domain}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms_and_their_default_ports() {
        let tls = endpoint("smtps://bonjour%40communs.example:s%3Acret@smtp.example.org").unwrap();
        assert_eq!(tls.security, Security::Tls);
        assert_eq!(tls.port, 465);
        assert_eq!(tls.user.as_deref(), Some("bonjour@communs.example"));
        assert_eq!(
            tls.shown(),
            "smtps://bonjour%40communs.example@smtp.example.org:465 (TLS)"
        );

        let starttls = endpoint("smtp://u:p@smtp.example.org:2587").unwrap();
        assert_eq!(starttls.security, Security::StartTls);
        assert_eq!(starttls.port, 2587);
        assert_eq!(
            endpoint("smtp://u:p@smtp.example.org").unwrap().port,
            587,
            "submission by default"
        );

        for local in [
            "smtp://127.0.0.1:2525",
            "smtp://localhost",
            "smtp://[::1]:25",
        ] {
            let plain = endpoint(local).unwrap();
            assert_eq!(plain.security, Security::Plain, "{local}");
            assert_eq!(plain.user, None);
        }
        assert_eq!(endpoint("smtp://localhost").unwrap().port, 25);
        assert_eq!(
            endpoint("smtp://[::1]:25").unwrap().shown(),
            "smtp://[::1]:25 (sans chiffrement, cette machine seulement)"
        );
    }

    #[test]
    fn other_forms_are_refused_without_quoting_the_password() {
        for wrong in [
            "https://u:secret@smtp.example.org",
            "smtp://u:secret@smtp.example.org?tls=opportunistic",
            "smtp://u:secret@smtp.example.org/ehlo-name",
            "smtp://u:secret@",
            "smtp.example.org:587",
            "smtps://u:%FF%FE@smtp.example.org",
            "smtps://u:secret@smtp.example.org:99999",
        ] {
            let error = endpoint(wrong).err().unwrap_or_else(|| panic!("{wrong}"));
            assert!(!error.contains("secret"), "{error}");
            assert!(error.contains("SMTP_URL"), "{error}");
        }
    }

    #[test]
    fn the_sender_must_be_an_address_and_the_greeting_is_the_sites_host() {
        let site = "https://communs.example";
        let smtp = Smtp::new(
            "smtp://127.0.0.1:2525",
            "Communs <bonjour@communs.example>",
            site,
        )
        .unwrap();
        assert_eq!(smtp.from(), "Communs <bonjour@communs.example>");
        assert!(Smtp::new("smtp://127.0.0.1:2525", "Communs", site).is_err());
        assert_eq!(greeting_name(site).as_deref(), Some("communs.example"));
        assert_eq!(greeting_name("http://127.0.0.1:8787"), None);
        let id = message_id("communs.example");
        assert!(
            id.starts_with('<') && id.ends_with("@communs.example>"),
            "{id}"
        );
    }
}
