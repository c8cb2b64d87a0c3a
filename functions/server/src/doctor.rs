//! `communs doctor`: checks what an operator can get wrong — the configuration, whether the SMTP
//! server answers, the database file (sound, at this binary's schema version), the public
//! ledger's chain, the free space beside the database, the site's folder — and says for each, in
//! French (the users' and most operators' language), that it is fine or what is wrong and how to
//! mend it. A problem makes
//! the command fail (exit code 1); a warning (« attention ») does not.

use crate::settings::Settings;
use domain::ledger::{Broken, Verified};
use std::fmt;
use std::path::Path;
use store::file as schema;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    Warning,
    Problem,
}

/// One check's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub level: Level,
    pub subject: &'static str,
    pub message: String,
    /// How to mend it.
    pub remedy: Option<String>,
}

impl Finding {
    fn ok(subject: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            level: Level::Ok,
            subject,
            message: message.into(),
            remedy: None,
        }
    }

    fn warning(
        subject: &'static str,
        message: impl Into<String>,
        remedy: impl Into<String>,
    ) -> Finding {
        Finding {
            level: Level::Warning,
            subject,
            message: message.into(),
            remedy: Some(remedy.into()),
        }
    }

    fn problem(
        subject: &'static str,
        message: impl Into<String>,
        remedy: impl Into<String>,
    ) -> Finding {
        Finding {
            level: Level::Problem,
            subject,
            message: message.into(),
            remedy: Some(remedy.into()),
        }
    }

    pub fn is_ok(&self) -> bool {
        self.level == Level::Ok
    }

    /// On one line, for the log.
    pub fn one_line(&self) -> String {
        match &self.remedy {
            Some(remedy) => format!("{} : {} (→ {remedy})", self.subject, self.message),
            None => format!("{} : {}", self.subject, self.message),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Ok => "ok",
            Level::Warning => "attention",
            Level::Problem => "PROBLÈME",
        };
        write!(f, "{level:<9} {} : {}", self.subject, self.message)?;
        if let Some(remedy) = &self.remedy {
            write!(f, "\n          → {remedy}")?;
        }
        Ok(())
    }
}

/// Under this much free space beside the database, a warning.
pub const LOW_DISK: u64 = 1_000_000_000;

/// Every check; the database's only when the file is there.
pub fn run(settings: &Settings, db: &Path, site: &Path) -> Vec<Finding> {
    let mut findings = configuration(settings);
    findings.extend(mail_reachable(settings));
    findings.extend(database(db));
    findings.push(disk(db));
    findings.push(site_folder(site));
    findings
}

/// The settings, as the application reads them (`app::config::Config`).
pub fn configuration(settings: &Settings) -> Vec<Finding> {
    let config = settings.config();
    let production = !config.development;
    let set = |name: &str| settings.get(name).filter(|v| !v.trim().is_empty());
    let mut found = Vec::new();

    if cfg!(feature = "dev") {
        found.push(Finding::warning(
            "construction",
            "construction de développement (fonctionnalité dev) : elle porte les routes \
             /api/dev/, qui répondent avec ENVIRONMENT=development",
            "pour un site public, installez la construction par défaut : \
             `cargo build --release -p server`",
        ));
    }
    found.push(match production {
        true => Finding::ok("environnement", "production"),
        false => Finding::warning(
            "environnement",
            "ENVIRONMENT=development : courriels et paiements ne partent pas vraiment",
            "retirez ENVIRONMENT (ou mettez ENVIRONMENT=production) pour un site public",
        ),
    });

    let site_remedy = "mettez l'adresse publique du site, en HTTPS, dans SITE_URL \
        (environnement ou fichier --config), par ex. SITE_URL=https://communs.exemple.fr";
    found.push(match (set("SITE_URL"), production) {
        (None, true) => Finding::problem(
            "SITE_URL",
            "absente : les liens des courriels mèneraient à http://127.0.0.1:8787",
            site_remedy,
        ),
        (None, false) => Finding::ok("SITE_URL", "absente (développement : http://127.0.0.1:8787)"),
        (Some(url), true) if !https(&url) => Finding::problem(
            "SITE_URL",
            format!("{url} n'est pas une adresse https:// : les connexions et les paiements passeraient en clair"),
            "servez le site en HTTPS derrière un mandataire inverse (Caddy, nginx) et mettez son adresse https:// dans SITE_URL",
        ),
        (Some(url), _) => Finding::ok("SITE_URL", url),
    });

    found.push(mail(&set, production, &config.site_url));

    found.push(
        match (set("STRIPE_SECRET_KEY"), set("STRIPE_WEBHOOK_SECRET"), production) {
            (Some(_), Some(_), _) => Finding::ok("paiements", "Stripe configuré"),
            (Some(_), None, _) => Finding::problem(
                "paiements",
                "STRIPE_SECRET_KEY sans STRIPE_WEBHOOK_SECRET : les notifications de Stripe \
                 seraient refusées, aucun paiement ne serait jamais confirmé",
                "mettez le secret de signature du point de terminaison Stripe dans STRIPE_WEBHOOK_SECRET",
            ),
            (None, _, false) => Finding::ok("paiements", "paiements simulés (développement)"),
            (None, _, true) => Finding::warning(
                "paiements",
                "Stripe non configuré : dons et soutiens aux propositions indisponibles (503)",
                "mettez STRIPE_SECRET_KEY et STRIPE_WEBHOOK_SECRET pour recevoir des dons",
            ),
        },
    );

    found.push(match set("ADMIN_EMAILS") {
        Some(admins) => Finding::ok("administration", admins),
        None => Finding::warning(
            "administration",
            "ADMIN_EMAILS vide : personne n'a les droits d'administration de l'instance",
            "mettez dans ADMIN_EMAILS les adresses des administrateurs, séparées par des virgules",
        ),
    });

    let proxy_remedy = "derrière un mandataire inverse qui ajoute X-Forwarded-For (Caddy, nginx), \
        mettez CLIENT_ADDRESS=x-forwarded-for ; derrière Cloudflare, CLIENT_ADDRESS=cf-connecting-ip";
    found.push(match set("CLIENT_ADDRESS").map(|v| v.trim().to_ascii_lowercase()) {
        None => Finding::warning(
            "adresse des clients",
            "CLIENT_ADDRESS absente : les limites par client comptent tous les visiteurs ensemble",
            proxy_remedy,
        ),
        Some(v) if ["x-forwarded-for", "cf-connecting-ip", "none"].contains(&v.as_str()) => {
            Finding::ok("adresse des clients", v)
        }
        Some(v) => Finding::problem(
            "adresse des clients",
            format!("CLIENT_ADDRESS={v} n'est pas une valeur connue : tous les visiteurs comptent ensemble"),
            proxy_remedy,
        ),
    });
    found
}

/// How mail leaves: SMTP (which wins), an HTTP mail API, or nothing.
fn mail(set: &dyn Fn(&str) -> Option<String>, production: bool, site_url: &str) -> Finding {
    const SUBJECT: &str = "courriel";
    let smtp_forms = "SMTP_URL=smtps://utilisateur:mot-de-passe@smtp.exemple.fr (port 465, TLS), \
        smtp://utilisateur:mot-de-passe@smtp.exemple.fr:587 (STARTTLS) ou smtp://127.0.0.1:25 \
        (un relais sur cette machine), et MAIL_FROM=\"Communs <bonjour@communs.exemple.fr>\"";
    if !production {
        return Finding::ok(
            SUBJECT,
            "boîte d'envoi de développement : aucun courriel ne part",
        );
    }
    if let Some(url) = set(crate::outbound::SMTP_URL) {
        let Some(from) = set("MAIL_FROM") else {
            return Finding::problem(
                SUBJECT,
                "SMTP_URL sans MAIL_FROM : aucun courriel ne peut partir (la connexion répond 503)",
                "mettez l'adresse d'expédition dans MAIL_FROM, par ex. \
                 MAIL_FROM=\"Communs <bonjour@communs.exemple.fr>\"",
            );
        };
        return match crate::smtp::Smtp::new(&url, &from, site_url) {
            Ok(smtp) => {
                let wins = match set("MAIL_API_URL") {
                    Some(_) => " (SMTP_URL l'emporte sur MAIL_API_URL)",
                    None => "",
                };
                Finding::ok(
                    SUBJECT,
                    format!(
                        "SMTP {}, au nom de {}{wins}",
                        smtp.endpoint().shown(),
                        smtp.from()
                    ),
                )
            }
            Err(error) => Finding::problem(
                SUBJECT,
                format!("{error} : aucun courriel ne peut partir (la connexion répond 503)"),
                smtp_forms,
            ),
        };
    }
    let api = ["MAIL_API_URL", "MAIL_API_KEY", "MAIL_FROM"];
    let missing: Vec<&str> = api.into_iter().filter(|n| set(n).is_none()).collect();
    match missing.len() {
        0 => Finding::ok(
            SUBJECT,
            format!(
                "API d'envoi {}, au nom de {}",
                set("MAIL_API_URL").unwrap_or_default(),
                set("MAIL_FROM").unwrap_or_default()
            ),
        ),
        3 => Finding::warning(
            SUBJECT,
            "aucun envoi configuré : personne ne peut recevoir de lien de connexion (la \
             connexion répond 503) ; le site reste consultable",
            format!(
                "mettez {smtp_forms} ; ou bien une API d'envoi au format de Resend : \
                 MAIL_API_URL, MAIL_API_KEY et MAIL_FROM"
            ),
        ),
        2 if set("MAIL_FROM").is_some() => Finding::problem(
            SUBJECT,
            "MAIL_FROM sans SMTP_URL ni MAIL_API_URL : aucun courriel ne peut partir (la \
             connexion répond 503)",
            format!("mettez {smtp_forms}"),
        ),
        _ => Finding::problem(
            SUBJECT,
            format!("API d'envoi incomplète, il manque {}", missing.join(", ")),
            "mettez les trois : MAIL_API_URL, MAIL_API_KEY et MAIL_FROM (ou passez par SMTP : \
             SMTP_URL et MAIL_FROM)",
        ),
    }
}

/// How long the doctor waits for the SMTP server, connection, TLS and sign-in included.
pub const MAIL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Whether the SMTP server answers: connects, encrypts and signs in as a mail would, then quits
/// (nothing is sent). None when there is no SMTP to try (not configured, not readable — the
/// configuration's finding says so — or a development instance, whose mail stays in its outbox).
pub fn mail_reachable(settings: &Settings) -> Option<Finding> {
    const SUBJECT: &str = "serveur de courriel";
    let config = settings.config();
    if config.development {
        return None;
    }
    let url = settings.get(crate::outbound::SMTP_URL)?;
    let from = settings.get("MAIL_FROM")?;
    let smtp = crate::smtp::Smtp::new(&url, &from, &config.site_url).ok()?;
    let shown = smtp.endpoint().shown();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return Some(Finding::problem(
                SUBJECT,
                format!("essai impossible : {error}"),
                "relancez `communs doctor`",
            ));
        }
    };
    let tried = runtime
        .block_on(async { tokio::time::timeout(MAIL_TIMEOUT, smtp.test_connection()).await });
    Some(match tried {
        Ok(Ok(())) => Finding::ok(SUBJECT, format!("{shown} répond et accepte la connexion")),
        Ok(Err(unreachable)) => Finding::problem(SUBJECT, unreachable.message, unreachable.remedy),
        Err(_) => Finding::problem(
            SUBJECT,
            format!("{shown} ne répond pas en {} s", MAIL_TIMEOUT.as_secs()),
            "vérifiez l'hôte et le port de SMTP_URL, et que le pare-feu (de la machine ou de \
             l'hébergeur) laisse sortir vers ce port : beaucoup d'hébergeurs bloquent le port \
             25, prenez 587 ou 465",
        ),
    })
}

fn https(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
}

/// The database file: there, sound, at this binary's version, its ledger whole.
pub fn database(path: &Path) -> Vec<Finding> {
    const SUBJECT: &str = "base de données";
    if !path.is_file() {
        return vec![Finding::problem(
            SUBJECT,
            format!("aucune base à {}", path.display()),
            format!(
                "créez-la avec `communs migrate --db {}` (ou `communs serve`, qui la crée), ou \
                 indiquez la bonne avec --db / COMMUNS_DB",
                path.display()
            ),
        )];
    }
    let db = match schema::open_existing_for_reading(path) {
        Ok(db) => db,
        Err(error) => {
            return vec![Finding::problem(
                SUBJECT,
                format!("illisible : {error}"),
                "vérifiez les droits du fichier et de son dossier pour l'utilisateur du service",
            )];
        }
    };
    let mut found = Vec::new();
    let restore = "arrêtez le service et restaurez la dernière sauvegarde : `communs restore \
        FICHIER` (sauvegardez d'abord l'état présent : `communs backup FICHIER`)";
    for (pragma, subject) in [
        ("quick_check", "vérification rapide"),
        ("integrity_check", "intégrité"),
    ] {
        found.push(match schema::check(&db, pragma) {
            Ok(problems) if problems.is_empty() => Finding::ok(subject, format!("{pragma} : ok")),
            Ok(problems) => Finding::problem(
                subject,
                format!(
                    "{pragma} signale {} problème(s) : {}",
                    problems.len(),
                    problems
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ),
                restore,
            ),
            Err(error) => {
                Finding::problem(subject, format!("{pragma} impossible : {error}"), restore)
            }
        });
    }
    let ours = store::SCHEMA_VERSION;
    let version = match schema::version(&db) {
        Ok(Some(version)) => version,
        Ok(None) => {
            found.push(Finding::problem(
                "schéma",
                "pas de table schema_meta : ce n'est pas une base Communs (ou elle est vide)",
                "indiquez la bonne base avec --db, ou créez-la : `communs migrate`",
            ));
            return found;
        }
        Err(error) => {
            found.push(Finding::problem("schéma", error, restore));
            return found;
        }
    };
    found.push(match version.cmp(&ours) {
        std::cmp::Ordering::Equal => Finding::ok("schéma", format!("version {version}")),
        std::cmp::Ordering::Less => Finding::problem(
            "schéma",
            format!("version {version}, ce programme attend la {ours}"),
            "lancez `communs migrate` (`communs serve` le fait aussi au démarrage)",
        ),
        std::cmp::Ordering::Greater => Finding::problem(
            "schéma",
            format!("version {version}, plus récente que celle de ce programme ({ours})"),
            "installez la version de `communs` qui a migré cette base",
        ),
    });
    if version == ours {
        found.push(ledger(&db));
    }
    found
}

/// The public ledger's chain, as `GET /api/ledger/verify` recomputes it; entries appended but not
/// yet sealed are chained as the next read would seal them (nothing is written).
pub fn ledger(db: &rusqlite::Connection) -> Finding {
    const SUBJECT: &str = "registre public";
    let (verdict, unsealed) = match ledger_chain(db) {
        Ok(chained) => chained,
        Err(error) => {
            return Finding::problem(
                SUBJECT,
                format!("illisible : {error}"),
                "lancez `communs migrate`",
            );
        }
    };
    match verdict {
        Ok(Verified { count, head, .. }) => {
            let pending = match unsealed {
                0 => String::new(),
                n => {
                    format!(" ({n} pas encore scellée(s) : elles le seront à la prochaine lecture)")
                }
            };
            let head = head.get(..16).unwrap_or(&head);
            Finding::ok(
                SUBJECT,
                format!("{count} entrée(s), chaîne intacte, tête {head}…{pending}"),
            )
        }
        Err(Broken { seq, reason, .. }) => Finding::problem(
            SUBJECT,
            format!("chaîne rompue à l'entrée {seq} ({reason})"),
            "n'écrivez plus rien : comparez avec la dernière sauvegarde et la tête publiée, et \
             restaurez la sauvegarde dont la chaîne est intacte (`communs restore FICHIER`)",
        ),
    }
}

/// The ledger's chain as the database holds it, verified, and how many entries were not sealed
/// yet (chained as the next read would seal them; nothing is written).
pub fn ledger_chain(
    db: &rusqlite::Connection,
) -> Result<(Result<Verified, Broken>, usize), String> {
    let rows = store::native::query(db, &store::funding::ledger::all_appended())?;
    Ok(domain::ledger::verify_appended(&rows))
}

/// The free space of the file system that holds the database.
pub fn disk(db: &Path) -> Finding {
    const SUBJECT: &str = "espace disque";
    let folder = match db.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match free_bytes(folder) {
        Ok(free) if free < LOW_DISK => Finding::warning(
            SUBJECT,
            format!(
                "{} libres dans {} (moins de 1 Go)",
                gigabytes(free),
                folder.display()
            ),
            "libérez de la place (anciennes sauvegardes, journaux) ou agrandissez le disque : \
             SQLite s'arrête d'écrire quand il est plein",
        ),
        Ok(free) => Finding::ok(
            SUBJECT,
            format!("{} libres dans {}", gigabytes(free), folder.display()),
        ),
        Err(error) => Finding::warning(
            SUBJECT,
            format!("inconnu pour {} : {error}", folder.display()),
            "vérifiez que le dossier de la base existe",
        ),
    }
}

fn gigabytes(bytes: u64) -> String {
    format!("{:.1} Go", bytes as f64 / 1e9).replace('.', ",")
}

/// Bytes an unprivileged process may still write on the file system holding `folder`.
pub fn free_bytes(folder: &Path) -> Result<u64, String> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
    // SAFETY: statvfs writes into the zeroed struct it is given, and reads the NUL-terminated
    // path, both alive for the call.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        return Err(std::io::Error::last_os_error().to_string());
    }
    #[allow(clippy::useless_conversion)] // the field widths differ across platforms
    let (available, block) = (u64::from(stat.f_bavail), u64::from(stat.f_frsize));
    Ok(available.saturating_mul(block))
}

/// The site's folder.
pub fn site_folder(site: &Path) -> Finding {
    match site.join("index.html").is_file() {
        true => Finding::ok("site", format!("{}", site.display())),
        false => Finding::warning(
            "site",
            format!(
                "pas d'index.html dans {} : les pages répondraient 404",
                site.display()
            ),
            "construisez le site (`make site`) ou indiquez son dossier avec --site / COMMUNS_SITE",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level_of(findings: &[Finding], subject: &str) -> Level {
        findings
            .iter()
            .find(|f| f.subject == subject)
            .unwrap_or_else(|| panic!("no finding on {subject}: {findings:?}"))
            .level
    }

    #[test]
    fn production_wants_an_https_address_and_complete_settings() {
        let bare = configuration(&Settings::with("", |_| None).unwrap());
        assert_eq!(level_of(&bare, "SITE_URL"), Level::Problem);
        assert_eq!(level_of(&bare, "courriel"), Level::Warning);
        assert_eq!(level_of(&bare, "paiements"), Level::Warning);
        assert_eq!(level_of(&bare, "adresse des clients"), Level::Warning);

        let plain = configuration(
            &Settings::with("SITE_URL=http://communs.example\nMAIL_FROM=x", |_| None).unwrap(),
        );
        assert_eq!(level_of(&plain, "SITE_URL"), Level::Problem);
        assert_eq!(level_of(&plain, "courriel"), Level::Problem, "incomplete");

        let ready = configuration(
            &Settings::with(
                "SITE_URL=https://communs.example\nMAIL_API_URL=https://api.resend.com/emails\n\
                 MAIL_API_KEY=k\nMAIL_FROM=bonjour@communs.example\nSTRIPE_SECRET_KEY=sk\n\
                 STRIPE_WEBHOOK_SECRET=whsec\nADMIN_EMAILS=a@communs.example\n\
                 CLIENT_ADDRESS=x-forwarded-for",
                |_| None,
            )
            .unwrap(),
        );
        let sound =
            |f: &Finding| f.is_ok() || (cfg!(feature = "dev") && f.subject == "construction");
        assert!(ready.iter().all(sound), "{ready:?}");
        assert_eq!(
            ready.iter().any(|f| f.subject == "construction"),
            cfg!(feature = "dev"),
            "a development build says so"
        );

        let with = |text: &str| configuration(&Settings::with(text, |_| None).unwrap());
        let smtp = with(
            "SMTP_URL=smtps://bonjour%40communs.example:s3cret@smtp.example.org\n\
             MAIL_FROM=Communs <bonjour@communs.example>\nMAIL_API_URL=https://api.example",
        );
        let mail = smtp.iter().find(|f| f.subject == "courriel").unwrap();
        assert!(mail.is_ok(), "{mail}");
        assert!(
            mail.message.contains("smtp.example.org:465 (TLS)")
                && mail.message.contains("l'emporte"),
            "{mail}"
        );
        assert!(!mail.to_string().contains("s3cret"), "{mail}");
        let no_sender = with("SMTP_URL=smtp://127.0.0.1:2525");
        assert_eq!(level_of(&no_sender, "courriel"), Level::Problem);
        let unreadable = with("SMTP_URL=imap://u:s3cret@mail.example.org\nMAIL_FROM=a@b.fr");
        assert_eq!(level_of(&unreadable, "courriel"), Level::Problem);
        assert!(!format!("{unreadable:?}").contains("s3cret"));
        let development = with("ENVIRONMENT=development\nSMTP_URL=nonsense");
        assert_eq!(level_of(&development, "courriel"), Level::Ok, "the outbox");

        let half_stripe = configuration(&Settings::with("STRIPE_SECRET_KEY=sk", |_| None).unwrap());
        assert_eq!(level_of(&half_stripe, "paiements"), Level::Problem);
    }

    #[test]
    fn a_missing_database_is_a_problem_and_a_fresh_one_is_sound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("communs.db");
        let missing = database(&path);
        assert_eq!(missing[0].level, Level::Problem);
        assert!(!path.exists(), "the doctor creates nothing");

        schema::open_and_migrate(&path).unwrap();
        let fresh = database(&path);
        assert!(fresh.iter().all(Finding::is_ok), "{fresh:?}");
        assert_eq!(level_of(&fresh, "registre public"), Level::Ok);
        assert!(disk(&path).level != Level::Problem);
    }

    #[test]
    fn the_ledger_of_a_database_is_read_through_the_stores_statement() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("communs.db");
        let (db, _) = schema::open_and_migrate(&path).unwrap();
        for seq in 1..=3 {
            db.execute(
                "INSERT INTO ledger_entry (seq, at, kind, amount_cents, currency, ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![seq, format!("2026-11-2{seq}T10:00:00Z"), "gift", 500 + seq, "EUR", format!("donation:d{seq}")],
            )
            .unwrap();
        }
        let finding = ledger(&db);
        assert!(finding.is_ok(), "{finding}");
        assert!(finding.message.contains("3 entrée(s)"), "{finding}");
        assert!(
            finding.message.contains("3 pas encore scellée(s)"),
            "{finding}"
        );
    }
}
