//! The instance's settings: the environment's variables, and optionally one file of `NAME=value`
//! lines (`--config FILE`); the environment wins. The names are the Workers host's (SITE_URL,
//! ADMIN_EMAILS, CLIENT_ADDRESS, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, MAIL_API_URL,
//! MAIL_API_KEY, MAIL_FROM, ENVIRONMENT), plus this host's own: SMTP_URL, COMMUNS_DB,
//! COMMUNS_SITE, COMMUNS_MEDIA, COMMUNS_LISTEN, COMMUNS_LOG. Production unless ENVIRONMENT says `development`.

use std::path::{Path, PathBuf};

/// Where the database is when nothing says.
pub const DEFAULT_DB: &str = "communs.db";
/// Where the pre-rendered site is when nothing says (the repository's build).
pub const DEFAULT_SITE: &str = "static-site/dist";
/// Where the server listens when nothing says: this machine only (a reverse proxy in front).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

pub struct Settings {
    file: Vec<(String, String)>,
    environment: fn(&str) -> Option<String>,
}

fn from_process(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Settings {
    /// The environment, and `file` under it when given.
    pub fn load(file: Option<&Path>) -> Result<Settings, String> {
        let file = match file {
            None => Vec::new(),
            Some(path) => parse(
                &std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
            )
            .map_err(|e| format!("{}: {e}", path.display()))?,
        };
        Ok(Settings {
            file,
            environment: from_process,
        })
    }

    /// Settings from `text` (a file's) and an environment of one's choosing (tests).
    pub fn with(text: &str, environment: fn(&str) -> Option<String>) -> Result<Settings, String> {
        Ok(Settings {
            file: parse(text)?,
            environment,
        })
    }

    /// A setting's value: the environment's when set and not empty, else the file's.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.environment)(name)
            .filter(|v| !v.is_empty())
            .or_else(|| {
                self.file
                    .iter()
                    .rev()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            })
    }

    /// The application's configuration, from the same names as the Workers host's.
    pub fn config(&self) -> app::config::Config {
        app::config::Config::from_lookup(|name| self.get(name))
    }

    /// A path: the command line's, else the setting's, else the default.
    pub fn path(&self, given: Option<PathBuf>, name: &str, default: &str) -> PathBuf {
        given
            .or_else(|| self.get(name).map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(default))
    }

    pub fn db(&self, given: Option<PathBuf>) -> PathBuf {
        self.path(given, "COMMUNS_DB", DEFAULT_DB)
    }

    /// Where pictures' bytes are kept: COMMUNS_MEDIA, else `media/` beside the database.
    pub fn media(&self, db: &Path) -> PathBuf {
        let beside = db.parent().unwrap_or(Path::new("")).join("media");
        self.get("COMMUNS_MEDIA")
            .map(PathBuf::from)
            .unwrap_or(beside)
    }

    pub fn site(&self, given: Option<PathBuf>) -> PathBuf {
        self.path(given, "COMMUNS_SITE", DEFAULT_SITE)
    }

    pub fn listen(&self, given: Option<String>) -> String {
        given
            .or_else(|| self.get("COMMUNS_LISTEN"))
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string())
    }
}

/// `NAME=value` lines; blank lines and `#` comments skipped, an `export ` prefix and quotes
/// around the value allowed (so that a shell may source the same file).
fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut settings = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (name, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected NAME=value", number + 1))?;
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "line {}: `{name}` is not a setting's name",
                number + 1
            ));
        }
        let value = value.trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value);
        settings.push((name.to_string(), value.to_string()));
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(name: &str) -> Option<String> {
        match name {
            "SITE_URL" => Some("https://from-the-environment.example".into()),
            "MAIL_FROM" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let file = "# the instance\nSITE_URL=https://from-the-file.example\n\nexport MAIL_FROM=\"Communs <bonjour@communs.example>\"\nCOMMUNS_DB='/var/lib/communs/communs.db'\n";
        let settings = Settings::with(file, environment).unwrap();
        assert_eq!(
            settings.get("SITE_URL").as_deref(),
            Some("https://from-the-environment.example")
        );
        assert_eq!(
            settings.get("MAIL_FROM").as_deref(),
            Some("Communs <bonjour@communs.example>"),
            "an empty variable does not hide the file's value"
        );
        assert_eq!(
            settings.db(None),
            PathBuf::from("/var/lib/communs/communs.db")
        );
        assert_eq!(
            settings.db(Some("given.db".into())),
            PathBuf::from("given.db")
        );
        assert_eq!(settings.listen(None), DEFAULT_LISTEN);
    }

    #[test]
    fn production_unless_said_otherwise() {
        let production = Settings::with("", |_| None).unwrap().config();
        assert!(!production.development);
        let development = Settings::with("ENVIRONMENT=development", |_| None)
            .unwrap()
            .config();
        assert!(development.development);
    }

    #[test]
    fn a_line_that_is_not_a_setting_is_refused() {
        let error = Settings::with("SITE_URL https://x", |_| None)
            .err()
            .unwrap();
        assert!(error.contains("line 1"), "{error}");
    }
}
