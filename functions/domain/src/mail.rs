//! The messages the product sends, in French.

/// One message, ready for whichever mailer the instance uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The one-click unsubscribe address (RFC 8058) of a notification's mail: it goes out as
    /// `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
    pub unsubscribe: Option<String>,
}

/// The headers of a mail one may leave in one click (RFC 8058): where, and that a POST does it.
pub fn unsubscribe_headers(url: &str) -> [(&'static str, String); 2] {
    [
        ("List-Unsubscribe", format!("<{url}>")),
        (
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".to_string(),
        ),
    ]
}

/// The sign-in mail. The token rides in the link's fragment (`#jeton=`), which browsers never
/// send to a server, so it stays out of every access log.
pub fn sign_in(site: &str, to: &str, token: &str, code: &str, ttl_minutes: i64) -> Message {
    Message {
        to: to.to_string(),
        subject: format!("Votre connexion à Communs (code {code})"),
        body: format!(
            "Bonjour,\n\n\
             Pour vous connecter à Communs, ouvrez ce lien :\n{site}/connexion/#jeton={token}\n\n\
             ou saisissez ce code sur la page de connexion : {code}\n\n\
             Le lien et le code sont valables {ttl_minutes} minutes, une seule fois.\n\
             Si vous n’avez rien demandé, ignorez ce message : personne ne pourra se connecter sans lui.\n"
        ),
        unsubscribe: None,
    }
}

/// Tells a backer their pledge could not be charged, and what happens next.
pub fn charge_failed(
    site: &str,
    to: &str,
    feature_title: &str,
    amount_cents: i64,
    next_attempt: Option<i64>,
) -> Message {
    let amount = crate::donation::euros(amount_cents);
    let next = match next_attempt {
        Some(at) => format!(
            "Nous réessaierons automatiquement après le {} (UTC).",
            crate::time::rfc3339(at)
                .replace('T', " à ")
                .trim_end_matches('Z')
        ),
        None => "Nous ne réessaierons plus : le trésorier de l’instance va vous contacter.".into(),
    };
    Message {
        to: to.to_string(),
        subject: format!("Votre engagement de {amount} n’a pas pu être prélevé"),
        body: format!(
            "Bonjour,\n\n\
             La fonctionnalité « {feature_title} » a atteint son objectif, mais le prélèvement \
             de votre engagement de {amount} a été refusé par votre banque.\n{next}\n\n\
             Vous pouvez enregistrer une autre carte depuis votre profil : {site}/profil/\n"
        ),
        unsubscribe: None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sign_in_mail_holds_the_link_and_the_code() {
        let message = super::sign_in("https://communs.example", "a@b.fr", "TOKEN", "ABCD2345", 15);
        assert_eq!(message.to, "a@b.fr");
        assert!(message.subject.contains("ABCD2345"));
        assert!(
            message
                .body
                .contains("https://communs.example/connexion/#jeton=TOKEN")
        );
        assert!(message.body.contains("15 minutes"));
    }

    #[test]
    fn a_failed_charge_mail_says_how_much_and_what_next() {
        let later = super::charge_failed("https://c.fr", "a@b.fr", "Export iCal", 2_600, Some(0));
        assert!(later.subject.contains("26,00\u{a0}€"));
        assert!(
            later.body.contains("« Export iCal »") && later.body.contains("1970-01-01 à 00:00:00")
        );
        let never = super::charge_failed("https://c.fr", "a@b.fr", "Export iCal", 2_600, None);
        assert!(never.body.contains("ne réessaierons plus"));
    }
}
